import type { Dataset, Task } from '../learn/dataset.js';
import type { Treatment } from '../features/feature-plan.js';
import { psiOf as roundTwoPsi } from '../explore/round-two/drift.js';

/**
 * What the training data looked like, saved with the model so monitoring can tell when live
 * inputs drift away from it: per feature, the shares of training rows in each bin (numeric:
 * deciles; categorical: the most frequent levels and "other"), and the same of the model's own
 * out-of-fold predictions. The last share of each profile is always "missing".
 */
export type BinnedProfile =
  | { readonly kind: 'numeric'; readonly edges: readonly number[]; readonly shares: readonly number[] }
  | { readonly kind: 'categorical'; readonly categories: readonly string[]; readonly shares: readonly number[] };

export type FeatureProfile = BinnedProfile & { readonly feature: string; readonly treatment: Treatment };

export interface TrainingProfile {
  readonly format: 'fathom.training-profile/1';
  readonly rows: number;
  readonly features: readonly FeatureProfile[];
  /** binary: the positive class's probability; regression: the value; multiclass: the predicted class. */
  readonly prediction: BinnedProfile;
}

/** At most this many levels of a categorical feature keep a bin of their own. */
const MAX_LEVELS = 20;
const QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * Profile a training dataset and the model's predictions on it (one score per row for binary
 * and regression, `rows × classes` probabilities for multiclass; NaN where there is none, e.g.
 * rows a time split never validated).
 */
export function trainingProfile(
  data: Dataset,
  treatments: ReadonlyMap<string, Treatment>,
  task: Task,
  predictions: Float64Array,
): TrainingProfile {
  const features = data.features.map((f): FeatureProfile => {
    const treatment = treatments.get(f.name) ?? (f.kind === 'categorical' ? 'categorical' : 'numeric');
    if (f.kind === 'categorical') {
      const labels = Array.from(f.codes, (c) => (c < 0 ? null : f.categories[c]!));
      return { feature: f.name, treatment, ...categoricalProfile(labels) };
    }
    return { feature: f.name, treatment, ...numericProfile(f.values) };
  });
  return {
    format: 'fathom.training-profile/1',
    rows: data.rows,
    features,
    prediction: predictionProfile(task, predictions),
  };
}

// Rows without a prediction (never validated) are left out, not counted as missing.
function predictionProfile(task: Task, p: Float64Array): BinnedProfile {
  if (task.kind !== 'multiclass') return numericProfile(p.filter((v) => !Number.isNaN(v)));
  const k = task.classes!.length;
  const labels: string[] = [];
  for (let r = 0; r < p.length / k; r++) {
    const c = predictedClass(task, p, r);
    if (c !== null) labels.push(c);
  }
  return categoricalProfile(labels);
}

/** The most probable class of row r (null when its probabilities are missing). */
export function predictedClass(task: Task, p: ArrayLike<number>, r: number): string | null {
  const k = task.classes!.length;
  let best = -1;
  for (let c = 0; c < k; c++) {
    const v = p[r * k + c]!;
    if (Number.isNaN(v)) return null;
    if (best < 0 || v > p[r * k + best]!) best = c;
  }
  return best < 0 ? null : task.classes![best]!;
}

/** Decile edges (distinct) of the non-missing values, and the shares of each bin plus missing. */
export function numericProfile(values: ArrayLike<number>): BinnedProfile {
  const present = Float64Array.from(
    Array.prototype.filter.call(values, (v: number) => !Number.isNaN(v)) as number[],
  ).sort();
  const edges: number[] = [];
  for (const q of QUANTILES) {
    if (present.length === 0) break;
    const v = present[Math.min(present.length - 1, Math.floor(q * present.length))]!;
    if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
  }
  const base = { kind: 'numeric' as const, edges, shares: [] as number[] };
  return { ...base, shares: shares(binCounts(base, Array.from(values as ArrayLike<number>)), values.length) };
}

export function categoricalProfile(labels: ReadonlyArray<string | null>): BinnedProfile {
  const counts = new Map<string, number>();
  for (const l of labels) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
  const categories = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_LEVELS)
    .map(([c]) => c);
  const base = { kind: 'categorical' as const, categories, shares: [] as number[] };
  return { ...base, shares: shares(binCounts(base, labels), labels.length) };
}

/**
 * Count values into a profile's bins: numeric bin i holds edges[i-1] < v <= edges[i] (the last
 * bin everything above), categorical bins the levels then "other"; the last bin is missing
 * (null, NaN, or text that is not a number for a numeric profile).
 */
export function binCounts(profile: BinnedProfile, values: Iterable<unknown>): number[] {
  const size = profile.kind === 'numeric' ? profile.edges.length + 2 : profile.categories.length + 2;
  const counts = new Array<number>(size).fill(0);
  const missing = size - 1;
  const level = profile.kind === 'categorical' ? new Map(profile.categories.map((c, i) => [c, i])) : null;
  for (const v of values) {
    if (v === null || v === undefined) {
      counts[missing]!++;
    } else if (level) {
      counts[level.get(String(v)) ?? missing - 1]!++;
    } else {
      const x = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number(v);
      if (Number.isNaN(x)) {
        counts[missing]!++;
        continue;
      }
      const edges = (profile as { edges: readonly number[] }).edges;
      let i = 0;
      while (i < edges.length && x > edges[i]!) i++;
      counts[i]!++;
    }
  }
  return counts;
}

function shares(counts: readonly number[], total: number): number[] {
  return counts.map((c) => (total === 0 ? 0 : c / total));
}

/**
 * Population stability index between expected and actual distributions over the same bins
 * (shares or counts): round two's, Σ (a − e) · ln(a / e) with each share floored at 1e-4 so an
 * empty bin costs a finite amount, and 0 when either side is empty. Below 0.1 is stable,
 * 0.1–0.25 a moderate shift, above 0.25 a major one (the usual reading).
 */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length)
    throw new Error(`psi: ${expected.length} expected bins, ${actual.length} actual`);
  return roundTwoPsi(expected, actual);
}

/** PSI of live bin counts against a profile's training shares, with the live shares and count. */
export function psiOfCounts(
  profile: BinnedProfile,
  counts: readonly number[],
): { psi: number; count: number; shares: number[] } {
  const count = counts.reduce((s, c) => s + c, 0);
  return { psi: psi(profile.shares, counts), count, shares: shares(counts, count) };
}

/** PSI of live values against a profile's training shares. */
export function psiOf(
  profile: BinnedProfile,
  live: Iterable<unknown>,
): { psi: number; count: number; shares: number[] } {
  return psiOfCounts(profile, binCounts(profile, live));
}
