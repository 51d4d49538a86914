import type { Dataset, Feature, LabelledDataset, Model } from '../learn/dataset.js';
import type { Fold } from '../learn/eval/splits.js';
import { computeMetric, metricScore, type MetricName } from '../learn/eval/metrics.js';
import { seededRandom, shuffleInPlace } from '../learn/eval/seeded-random.js';
import { subsetFeatures } from '../learn/search/subset-dataset.js';

export interface FeatureImportance {
  readonly feature: string;
  /** Mean drop of the score (metric oriented so higher is better) when the feature is shuffled. */
  readonly mean: number;
  readonly std: number;
}

/** Per fold, the members' models for that fold and their weights. */
export type FoldEnsemble = ReadonlyArray<ReadonlyArray<{ weight: number; model: Model }>>;

/**
 * Permutation importance on the validation folds: each fold's models predict their own
 * validation rows with one feature shuffled among those rows, and the drop in the out-of-fold
 * metric is the feature's importance. Stops early (returning what it has, `complete: false`)
 * when `stopAt` passes.
 */
export function permutationImportance(
  data: LabelledDataset,
  folds: readonly Fold[],
  ensemble: FoldEnsemble,
  metric: MetricName,
  options: {
    repeats?: number;
    seed?: number;
    stopAt?: number | null;
    baselineOof?: Float64Array;
    baselineMs?: number;
  } = {},
): { importances: FeatureImportance[]; baseline: number; complete: boolean } {
  const repeats = options.repeats ?? 3;
  const rng = seededRandom(options.seed ?? 0);
  const valid = Int32Array.from(folds.flatMap((f) => Array.from(f.valid)));
  const scoreOf = (values: Float64Array) =>
    metricScore(metric, computeMetric(metric, data.target, { task: data.task, values }, valid));
  let t = Date.now();
  const baseline = scoreOf(options.baselineOof ?? oofPredict(data, folds, ensemble, data));
  // The slowest pass so far: a pass that would end after stopAt is not started.
  let passMs = options.baselineOof ? (options.baselineMs ?? 0) : Date.now() - t;
  const importances: FeatureImportance[] = [];
  for (const [j, f] of data.features.entries()) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      if (options.stopAt != null && Date.now() + passMs >= options.stopAt) {
        importances.sort((a, b) => b.mean - a.mean);
        return { importances, baseline, complete: false };
      }
      t = Date.now();
      const features = data.features.slice();
      features[j] = permuted(f, folds, rng);
      drops.push(baseline - scoreOf(oofPredict({ rows: data.rows, features }, folds, ensemble, data)));
      passMs = Math.max(passMs, Date.now() - t);
    }
    const mean = drops.reduce((s, d) => s + d, 0) / drops.length;
    const std = Math.sqrt(drops.reduce((s, d) => s + (d - mean) ** 2, 0) / drops.length);
    importances.push({ feature: f.name, mean, std });
  }
  importances.sort((a, b) => b.mean - a.mean);
  return { importances, baseline, complete: true };
}

function permuted(f: Feature, folds: readonly Fold[], rng: ReturnType<typeof seededRandom>): Feature {
  const copy = f.kind === 'numeric' ? f.values.slice() : f.codes.slice();
  const src = f.kind === 'numeric' ? f.values : f.codes;
  for (const fold of folds) {
    const order = shuffleInPlace(Array.from(fold.valid), rng);
    fold.valid.forEach((r, k) => (copy[r] = src[order[k]!]!));
  }
  return f.kind === 'numeric' ? { ...f, values: copy as Float64Array } : { ...f, codes: copy as Int32Array };
}

/** Out-of-fold predictions of a fold ensemble (rows never validated stay NaN). */
export function oofPredict(
  d: Dataset,
  folds: readonly Fold[],
  ensemble: FoldEnsemble,
  labelled: LabelledDataset,
): Float64Array {
  const width = labelled.task.kind === 'multiclass' ? labelled.task.classes!.length : 1;
  const out = new Float64Array(d.rows * width).fill(Number.NaN);
  folds.forEach((fold, k) => {
    const view: Dataset = subsetFeatures(d, fold.valid);
    const sum = new Float64Array(fold.valid.length * width);
    for (const { weight, model } of ensemble[k]!) {
      const v = model.predict(view).values;
      for (let i = 0; i < v.length; i++) sum[i]! += weight * v[i]!;
    }
    fold.valid.forEach((r, j) => {
      for (let c = 0; c < width; c++) out[r * width + c] = sum[j * width + c]!;
    });
  });
  return out;
}
