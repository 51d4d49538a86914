import type { LabelledDataset, Model } from '../dataset.js';
import { linearFromJSON, trainLinear } from '../linear/index.js';
import { gbdtFromJSON, trainGbdt } from '../gbdt/index.js';
import { subsetDataset } from './subset-dataset.js';
import type { Params } from './param-space.js';
import { gbdtSpace, linearSpace, type Family, type SearchSpace } from './search-space.js';

export type { Family } from './search-space.js';

export interface FitOptions {
  readonly threads: number;
  readonly seed: number;
}

/** A model family: its search space, and how to fit and read its models. */
export interface Learner extends SearchSpace {
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
  ...linearSpace,
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

/** Gradient-boosted trees (search-space.ts says where they start and search). */
export const gbdtLearner: Learner = {
  ...gbdtSpace,
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
