import type { LabelledDataset } from '../dataset.js';
import type { Fold } from '../eval/splits.js';
import { computeMetric, type MetricName } from '../eval/metrics.js';
import { learnerFor, type Family } from './learners.js';
import type { Params } from './param-space.js';
import { subsetFeatures } from './subset-dataset.js';

/** One unit of search work, as sent to a trial worker. */
export interface TrialRequest {
  readonly data: LabelledDataset;
  /** Cross-validate over these folds; null means fit once on all rows (the final refit). */
  readonly folds: readonly Fold[] | null;
  readonly family: Family;
  readonly params: Params;
  readonly metric: MetricName;
  readonly threads: number;
  readonly seed: number;
}

export interface TrialResult {
  /** Out-of-fold predictions laid out as `Predictions.values`; NaN for rows never validated. */
  readonly oof: Float64Array | null;
  readonly foldScores: number[];
  readonly units: number;
  /** Fold models (cross-validation) or the one refit model, as JSON. */
  readonly models: unknown[];
}

/** Run a trial in this thread: the worker calls this, and so can tests. */
export async function runTrialTask(req: TrialRequest): Promise<TrialResult> {
  const learner = learnerFor(req.family);
  const { data } = req;
  const width = data.task.kind === 'multiclass' ? data.task.classes!.length : 1;
  if (req.folds === null) {
    const all = Int32Array.from({ length: data.rows }, (_, i) => i);
    const { model, units } = await learner.fit(data, all, req.params, { threads: req.threads, seed: req.seed });
    return { oof: null, foldScores: [], units, models: [model.toJSON()] };
  }
  const oof = new Float64Array(data.rows * width).fill(Number.NaN);
  const foldScores: number[] = [];
  const models: unknown[] = [];
  let units = 0;
  for (const [f, fold] of req.folds.entries()) {
    const fit = await learner.fit(data, fold.train, req.params, { threads: req.threads, seed: req.seed + f });
    units += fit.units;
    const pred = fit.model.predict(subsetFeatures(data, fold.valid));
    fold.valid.forEach((r, j) => {
      for (let c = 0; c < width; c++) oof[r * width + c] = pred.values[j * width + c]!;
    });
    foldScores.push(computeMetric(req.metric, data.target, { task: data.task, values: oof }, fold.valid));
    models.push(fit.model.toJSON());
  }
  return { oof, foldScores, units, models };
}
