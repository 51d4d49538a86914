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
export const QUANTILE_SAMPLE = 200_000;

/** The rows every numeric feature takes its quantiles from (null: all rows). */
export function quantileSample(rows: number, seed: number): Uint32Array | null {
  return rows > QUANTILE_SAMPLE ? sampleIndices(rows, QUANTILE_SAMPLE, seededRandom(seed)) : null;
}

export function binCount(bins: FeatureBins): number {
  return bins.kind === 'numeric' ? bins.upper.length : bins.categories.length;
}

/** Quantile bin edges for a numeric feature, or the category bins of a categorical one. */
export function findFeatureBins(feature: Feature, maxBins: number, picked: Uint32Array | null): FeatureBins {
  if (feature.kind === 'categorical') return categoricalBins(feature.codes, feature.categories);
  const values = feature.values;
  const m = picked === null ? values.length : picked.length;
  const sample = new Float64Array(m);
  let k = 0;
  for (let i = 0; i < m; i++) {
    const v = values[picked === null ? i : picked[i]!]!;
    if (v === v) sample[k++] = v;
  }
  const sorted = sample.subarray(0, k).sort();
  // Distinct values only matter when there are few; stop collecting past maxBins.
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length && distinct.length <= maxBins; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) edges.push(midpoint(distinct[i]!, distinct[i + 1]!));
  } else {
    // Percentiles by the "midpoint" rule, as scikit-learn's HistGradientBoosting bins.
    for (let q = 1; q < maxBins; q++) {
      const pos = (q / maxBins) * (sorted.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      const e = sorted[lo] === sorted[hi] ? sorted[lo]! : midpoint(sorted[lo]!, sorted[hi]!);
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

/** Bin of every value, row-major: byte `i * features + f` is feature f at row i. */
export function binDataset(
  data: Dataset,
  featureNames: readonly string[],
  bins: readonly FeatureBins[],
  shared: boolean,
): Uint8Array {
  const n = data.rows;
  const F = bins.length;
  const buffer = shared ? new SharedArrayBuffer(n * F) : new ArrayBuffer(n * F);
  const out = new Uint8Array(buffer);
  const columns = alignFeatures(data, featureNames, bins);
  for (let f = 0; f < F; f++) binColumn(columns[f]!, bins[f]!, out, F, f);
  return out;
}

/**
 * The bins again, column-major (`out[f * rows + row]`), for reading one feature of scattered
 * rows: a column is `rows` bytes, which stay in cache where the row-major matrix does not.
 */
export function binColumns(bins: Uint8Array, rows: number, F: number): Uint8Array {
  const out = new Uint8Array(rows * F);
  const BLOCK = 4096;
  for (let b0 = 0; b0 < rows; b0 += BLOCK) {
    const b1 = Math.min(rows, b0 + BLOCK);
    for (let f = 0; f < F; f++) {
      const o = f * rows;
      for (let i = b0; i < b1; i++) out[o + i] = bins[i * F + f]!;
    }
  }
  return out;
}

/** The dataset's features in the model's order, checked by name and kind. */
export function alignFeatures(data: Dataset, featureNames: readonly string[], bins: readonly FeatureBins[]): Feature[] {
  const byName = new Map(data.features.map((f) => [f.name, f]));
  return featureNames.map((name, f) => {
    const feature = byName.get(name);
    if (feature === undefined) {
      throw badInput(
        `the model needs feature \`${name}\` but the data has no such column`,
        'pass data with the columns the model was trained on',
      );
    }
    if (feature.kind !== bins[f]!.kind) {
      throw badInput(
        `feature \`${name}\` is ${feature.kind} here but was ${bins[f]!.kind} in training`,
        'pass the column with the type it had in training',
      );
    }
    const length = feature.kind === 'numeric' ? feature.values.length : feature.codes.length;
    if (length !== data.rows) {
      throw badInput(
        `feature \`${name}\` has ${length} values but the dataset has ${data.rows} rows`,
        'give every feature one value per row',
      );
    }
    return feature;
  });
}

/** Category code → bin; codes of categories the model never saw map to the missing bin. */
export function categoryBinLookup(
  categories: readonly string[],
  bins: FeatureBins & { kind: 'categorical' },
): Uint8Array {
  const index = new Map(bins.categories.map((c, b) => [c, b]));
  return Uint8Array.from(categories, (c) => index.get(c) ?? MISSING_BIN);
}

function binColumn(feature: Feature, bins: FeatureBins, out: Uint8Array, F: number, f: number): void {
  if (feature.kind === 'categorical') {
    const lookup = categoryBinLookup(feature.categories, bins as FeatureBins & { kind: 'categorical' });
    const codes = feature.codes;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      out[i * F + f] = c < 0 || c >= lookup.length ? MISSING_BIN : lookup[c]!;
    }
    return;
  }
  const find = numericBinFinder((bins as FeatureBins & { kind: 'numeric' }).upper);
  const values = feature.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i * F + f] = v !== v ? MISSING_BIN : find(v);
  }
}

/**
 * value → bin (first bin whose upper edge is >= value). A uniform grid over the finite edges
 * narrows the search to a few bins; a plain binary search over 254 edges was the largest
 * cost of binning 1M × 30 values.
 */
export function numericBinFinder(upper: Float64Array): (v: number) => number {
  const last = upper.length - 1;
  if (last === 0) return () => 0;
  const lo = upper[0]!;
  const hi = upper[last - 1]!;
  const G = 1024;
  const scale = hi > lo ? G / (hi - lo) : 0;
  const cellStart = new Int32Array(G + 2);
  let b = 0;
  for (let c = 0; c <= G + 1; c++) {
    const x = lo + c / scale;
    while (b < last && upper[b]! < x) b++;
    cellStart[c] = b;
  }
  return (v) => {
    if (v <= lo) return 0;
    if (v > hi) return last;
    const c = Math.min(G, Math.max(0, Math.floor((v - lo) * scale)));
    let a = cellStart[c]!;
    let z = cellStart[c + 1]!;
    while (a < z) {
      const mid = (a + z) >>> 1;
      if (v <= upper[mid]!) z = mid;
      else a = mid + 1;
    }
    // Guard against rounding in the grid: settle on the exact first edge >= v.
    while (a > 0 && v <= upper[a - 1]!) a--;
    while (v > upper[a]!) a++;
    return a;
  };
}
