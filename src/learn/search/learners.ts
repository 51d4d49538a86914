import type { LabelledDataset, Model } from '../dataset.js';
import { linearFromJSON, trainLinear } from '../linear/index.js';
import type { ParamDim, Params } from './param-space.js';

export type Family = 'linear' | 'gbdt';

export interface FitOptions {
  readonly threads: number;
  readonly seed: number;
}

/** What the search needs to know about a model family. */
export interface Learner {
  readonly family: Family;
  /** Searched dimensions; `init` values form the low-cost starting point. */
  readonly dims: readonly ParamDim[];
  /** Proven configurations tried first (zero-shot), cheapest first. */
  readonly portfolio: readonly Params[];
  /**
   * Fit on the listed rows. `units` counts the work done (row × feature passes) so a budget
   * in units gives the same result whatever the machine's speed.
   */
  fit(data: LabelledDataset, rows: Int32Array, params: Params, options: FitOptions): Promise<{ model: Model; units: number }>;
  fromJSON(json: unknown): Model;
}

export const linearLearner: Learner = {
  family: 'linear',
  dims: [
    { name: 'lambda', scale: 'log', integer: false, low: 1e-5, high: 10, init: 1e-2 },
    { name: 'l1Ratio', scale: 'linear', integer: false, low: 0, high: 1, init: 0 },
  ],
  portfolio: [
    { lambda: 1e-2, l1Ratio: 0 },
    { lambda: 1e-3, l1Ratio: 0.5 },
  ],
  async fit(data, rows, params) {
    const model = trainLinear(data, { lambda: params.lambda!, l1Ratio: params.l1Ratio!, maxIter: 500, tol: 1e-5 }, rows);
    const k = data.task.kind === 'multiclass' ? data.task.classes!.length : 1;
    return { model, units: model.iterations * rows.length * Math.max(1, model.json.encoder.columns.length) * k };
  },
  fromJSON: linearFromJSON,
};

/** The learners the search uses, in order of preference. */
export const LEARNERS: readonly Learner[] = [linearLearner];

export function learnerFor(family: Family): Learner {
  const l = LEARNERS.find((x) => x.family === family);
  if (!l) throw new Error(`no learner for model family ${family}`);
  return l;
}
