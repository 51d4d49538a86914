import type { LabelledDataset, Model } from '../dataset.js';
import { linearFromJSON, trainLinear } from '../linear/index.js';
import { gbdtFromJSON, trainGbdt } from '../gbdt/index.js';
import { subsetDataset } from './subset-dataset.js';
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
  fit(
    data: LabelledDataset,
    rows: Int32Array,
    params: Params,
    options: FitOptions,
  ): Promise<{ model: Model; units: number }>;
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
    const model = trainLinear(
      data,
      { lambda: params.lambda!, l1Ratio: params.l1Ratio!, maxIter: 500, tol: 1e-5 },
      rows,
    );
    const k = data.task.kind === 'multiclass' ? data.task.classes!.length : 1;
    return { model, units: model.iterations * rows.length * Math.max(1, model.json.encoder.columns.length) * k };
  },
  fromJSON: linearFromJSON,
};

/**
 * Gradient-boosted trees. The low-cost start is FLAML's (4 trees of 4 leaves); the portfolio
 * runs from a cheap model through LightGBM's defaults to slower, more regularised ones.
 */
export const gbdtLearner: Learner = {
  family: 'gbdt',
  dims: [
    { name: 'numRounds', scale: 'log', integer: true, low: 4, high: 1000, init: 4 },
    { name: 'numLeaves', scale: 'log', integer: true, low: 4, high: 512, init: 4 },
    { name: 'learningRate', scale: 'log', integer: false, low: 0.01, high: 1, init: 0.1 },
    { name: 'minDataInLeaf', scale: 'log', integer: true, low: 2, high: 128, init: 20 },
    { name: 'featureFraction', scale: 'linear', integer: false, low: 0.3, high: 1, init: 1 },
    { name: 'lambdaL2', scale: 'log', integer: false, low: 1e-3, high: 100, init: 1e-3 },
  ],
  portfolio: [
    { numRounds: 20, numLeaves: 4, learningRate: 0.3, minDataInLeaf: 20, featureFraction: 1, lambdaL2: 0.001 },
    { numRounds: 100, numLeaves: 31, learningRate: 0.1, minDataInLeaf: 20, featureFraction: 1, lambdaL2: 0.001 },
    { numRounds: 200, numLeaves: 15, learningRate: 0.05, minDataInLeaf: 10, featureFraction: 0.8, lambdaL2: 1 },
    { numRounds: 400, numLeaves: 63, learningRate: 0.05, minDataInLeaf: 40, featureFraction: 0.7, lambdaL2: 10 },
  ],
  async fit(data, rows, params, options) {
    const train = rows.length === data.rows ? data : subsetDataset(data, rows);
    const model = await trainGbdt(train, { ...params, seed: options.seed }, { threads: options.threads });
    const features = Math.max(1, Math.round(data.features.length * (params.featureFraction ?? 1)));
    return { model, units: model.trees.length * rows.length * features };
  },
  fromJSON: gbdtFromJSON,
};

/** The learners the search uses: the linear baseline first (cheap), then trees. */
export const LEARNERS: readonly Learner[] = [linearLearner, gbdtLearner];

export function learnerFor(family: Family): Learner {
  const l = LEARNERS.find((x) => x.family === family);
  if (!l) throw new Error(`no learner for model family ${family}`);
  return l;
}
