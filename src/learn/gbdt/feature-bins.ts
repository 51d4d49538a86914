import type { Dataset, Feature } from '../dataset.js';
import { badInput } from '../../util/fathom-error.js';
import { sampleIndices, seededRandom } from './seeded-random.js';

/** Bin 255 holds missing values (and, for categoricals, categories without a bin of their own). */
export const MISSING_BIN = 255;

/**
 * How one feature's values map to bins. Numeric: bin b holds values in (upper[b-1], upper[b]],
 * the last upper is +Infinity, so `value <= upper[t]` is exactly `bin <= t` — the trees keep
 * real thresholds and predict on raw values. Categorical: bin b is the category `categories[b]`.
 */
export type FeatureBins =
  | { readonly kind: 'numeric'; readonly upper: Float64Array }
  | { readonly kind: 'categorical'; readonly categories: readonly string[] };

/** Rows used to find quantiles (scikit-learn's default subsample too). */
const QUANTILE_SAMPLE = 200_000;

export function binCount(bins: FeatureBins): number {
  return bins.kind === 'numeric' ? bins.upper.length : bins.categories.length;
}

/** Quantile bin edges for a numeric feature, or the category bins of a categorical one. */
export function findFeatureBins(feature: Feature, maxBins: number, seed: number): FeatureBins {
  if (feature.kind === 'categorical') return categoricalBins(feature.codes, feature.categories);
  const values = feature.values;
  const picked = values.length > QUANTILE_SAMPLE ? sampleIndices(values.length, QUANTILE_SAMPLE, seededRandom(seed)) : null;
  const m = picked === null ? values.length : picked.length;
  const sample = new Float64Array(m);
  let k = 0;
  for (let i = 0; i < m; i++) {
    const v = values[picked === null ? i : picked[i]!]!;
    if (v === v) sample[k++] = v;
  }
  const sorted = sample.subarray(0, k).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) edges.push(midpoint(distinct[i]!, distinct[i + 1]!));
  } else {
    // Percentiles by the "midpoint" rule, as scikit-learn's HistGradientBoosting bins.
    for (let q = 1; q < maxBins; q++) {
      const pos = (q / maxBins) * (sorted.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      const e = (sorted[lo]! + sorted[hi]!) / 2;
      if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
    }
  }
  edges.push(Infinity);
  return { kind: 'numeric', upper: Float64Array.from(edges) };
}

/**
 * A threshold between two neighbouring values that is a float32 when one fits, so ONNX
 * runtimes (which compare in float32) split where we do.
 */
function midpoint(lo: number, hi: number): number {
  const mid = lo + (hi - lo) / 2;
  const f = Math.fround(mid);
  return f >= lo && f < hi ? f : mid;
}

function categoricalBins(codes: Int32Array, categories: readonly string[]): FeatureBins {
  if (categories.length <= MISSING_BIN) return { kind: 'categorical', categories: [...categories] };
  // Too many categories for a byte: the most frequent keep a bin, the rest share the missing bin.
  const counts = new Float64Array(categories.length);
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) counts[codes[i]!]! += 1;
  const order = [...categories.keys()].sort((a, b) => counts[b]! - counts[a]! || a - b).slice(0, MISSING_BIN);
  return { kind: 'categorical', categories: order.map((c) => categories[c]!) };
}

/** Bin of every value, column-major: byte `f * rows + i` is feature f at row i. */
export function binDataset(data: Dataset, featureNames: readonly string[], bins: readonly FeatureBins[], shared: boolean): Uint8Array {
  const n = data.rows;
  const buffer = shared ? new SharedArrayBuffer(n * bins.length) : new ArrayBuffer(n * bins.length);
  const out = new Uint8Array(buffer);
  const columns = alignFeatures(data, featureNames, bins);
  for (let f = 0; f < bins.length; f++) binColumn(columns[f]!, bins[f]!, out.subarray(f * n, (f + 1) * n));
  return out;
}

/** The dataset's features in the model's order, checked by name and kind. */
export function alignFeatures(data: Dataset, featureNames: readonly string[], bins: readonly FeatureBins[]): Feature[] {
  const byName = new Map(data.features.map((f) => [f.name, f]));
  return featureNames.map((name, f) => {
    const feature = byName.get(name);
    if (feature === undefined) {
      throw badInput(`the model needs feature \`${name}\` but the data has no such column`, 'pass data with the columns the model was trained on');
    }
    if (feature.kind !== bins[f]!.kind) {
      throw badInput(`feature \`${name}\` is ${feature.kind} here but was ${bins[f]!.kind} in training`, 'pass the column with the type it had in training');
    }
    const length = feature.kind === 'numeric' ? feature.values.length : feature.codes.length;
    if (length !== data.rows) {
      throw badInput(`feature \`${name}\` has ${length} values but the dataset has ${data.rows} rows`, 'give every feature one value per row');
    }
    return feature;
  });
}

/** Category code → bin; codes of categories the model never saw map to the missing bin. */
export function categoryBinLookup(categories: readonly string[], bins: FeatureBins & { kind: 'categorical' }): Uint8Array {
  const index = new Map(bins.categories.map((c, b) => [c, b]));
  return Uint8Array.from(categories, (c) => index.get(c) ?? MISSING_BIN);
}

function binColumn(feature: Feature, bins: FeatureBins, out: Uint8Array): void {
  if (feature.kind === 'categorical') {
    const lookup = categoryBinLookup(feature.categories, bins as FeatureBins & { kind: 'categorical' });
    const codes = feature.codes;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      out[i] = c < 0 || c >= lookup.length ? MISSING_BIN : lookup[c]!;
    }
    return;
  }
  const upper = (bins as FeatureBins & { kind: 'numeric' }).upper;
  const values = feature.values;
  const last = upper.length - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) {
      out[i] = MISSING_BIN;
      continue;
    }
    // First bin whose upper edge is >= v (binary search; the last edge is +Infinity).
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v <= upper[mid]!) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
}
