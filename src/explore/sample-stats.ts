import type { LogicalType, SqlValue } from '../engine/engine.js';
import type { HistogramBin, TopValue } from '../catalog/catalog.js';
import { patternShares, round } from './patterns.js';

export const isNumericType = (t: LogicalType): boolean => t === 'integer' || t === 'float' || t === 'decimal';
export const isTemporalType = (t: LogicalType): boolean => t === 'date' || t === 'timestamp';

/** Statistics computed from a column's sample values (exact when the sample is the whole table). */
export interface SampleColumnStats {
  readonly quantiles: Record<string, number | string> | null;
  readonly histogram: HistogramBin[] | null;
  readonly top: TopValue[];
  readonly length: { min: number; max: number; mean: number } | null;
  readonly patterns: Record<string, number> | null;
  /** Sample skewness (numeric only). */
  readonly skewness: number | null;
  /** Share of values outside [p25 - 3 IQR, p75 + 3 IQR] (numeric only). */
  readonly outlierShare: number | null;
  /** Share of text values that parse as numbers (mixed types in one column). */
  readonly numericTextShare: number | null;
  /** Non-null sample values as text, for pattern-based inference (PII, semantic type). */
  readonly textValues: readonly string[];
  /** Numbers for numeric and temporal columns (epoch ms), NaN for nulls, in sample order. */
  readonly numbers: Float64Array | null;
}

const QUANTILES: ReadonlyArray<readonly [string, number]> = [
  ['p01', 0.01],
  ['p05', 0.05],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p95', 0.95],
  ['p99', 0.99],
];
const TOP_K = 10;
const MAX_BINS = 30;

export function toNumber(v: SqlValue, type: LogicalType): number {
  if (v === null) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string')
    return isTemporalType(type) ? Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v) : Number(v);
  return NaN;
}

const textOf = (v: SqlValue): string => (v instanceof Uint8Array ? `<${v.length} bytes>` : String(v));

/** Linear-interpolated quantile of sorted values (type 7, as numpy and DuckDB's quantile_cont). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * @param values the column's values in the sample (nulls included)
 * @param scale  table rows / sample rows: counts are scaled back to the table
 * @param range  exact min and max from the full-table pass, so bins cover every value
 */
export function sampleColumnStats(
  values: readonly SqlValue[],
  type: LogicalType,
  scale: number,
  range?: { min: number; max: number },
): SampleColumnStats {
  const nonNull = values.filter((v) => v !== null);
  const numeric = isNumericType(type);
  const temporal = isTemporalType(type);
  const textValues = nonNull.map(textOf);
  const top = topValues(textValues, nonNull, scale);
  if (numeric || temporal) {
    const numbers = Float64Array.from(values, (v) => toNumber(v, type));
    const finite = Float64Array.from(numbers.filter((x) => Number.isFinite(x))).sort();
    const fmt = (x: number): number | string => (temporal ? new Date(Math.round(x)).toISOString() : round(x, 6));
    const quantiles =
      finite.length === 0 ? null : Object.fromEntries(QUANTILES.map(([k, q]) => [k, fmt(quantileSorted(finite, q))]));
    const lo = range && Number.isFinite(range.min) ? range.min : finite[0];
    const hi = range && Number.isFinite(range.max) ? range.max : finite[finite.length - 1];
    const histogram = lo === undefined || hi === undefined ? null : histogramOf(finite, lo, hi, type, scale, fmt);
    let skewness: number | null = null;
    let outlierShare: number | null = null;
    if (numeric && finite.length >= 3) {
      const mean = finite.reduce((s, x) => s + x, 0) / finite.length;
      let m2 = 0,
        m3 = 0;
      for (const x of finite) {
        const d = x - mean;
        m2 += d * d;
        m3 += d * d * d;
      }
      m2 /= finite.length;
      m3 /= finite.length;
      skewness = m2 > 0 ? round(m3 / m2 ** 1.5) : 0;
      const p25 = quantileSorted(finite, 0.25),
        p75 = quantileSorted(finite, 0.75);
      const iqr = p75 - p25;
      if (iqr > 0) {
        let out = 0;
        for (const x of finite) if (x < p25 - 3 * iqr || x > p75 + 3 * iqr) out++;
        outlierShare = round(out / finite.length);
      } else outlierShare = 0;
    }
    return {
      quantiles,
      histogram,
      top,
      length: null,
      patterns: null,
      skewness,
      outlierShare,
      numericTextShare: null,
      textValues,
      numbers,
    };
  }
  if (type !== 'string') {
    return {
      quantiles: null,
      histogram: null,
      top,
      length: null,
      patterns: null,
      skewness: null,
      outlierShare: null,
      numericTextShare: null,
      textValues,
      numbers: null,
    };
  }
  let minLen = Infinity,
    maxLen = 0,
    sumLen = 0,
    numericText = 0;
  for (const s of textValues) {
    const n = [...s].length;
    minLen = Math.min(minLen, n);
    maxLen = Math.max(maxLen, n);
    sumLen += n;
    if (s.trim() !== '' && Number.isFinite(Number(s))) numericText++;
  }
  const length =
    textValues.length === 0 ? null : { min: minLen, max: maxLen, mean: round(sumLen / textValues.length, 2) };
  return {
    quantiles: null,
    histogram: null,
    top,
    length,
    patterns: textValues.length === 0 ? null : patternShares(textValues),
    skewness: null,
    outlierShare: null,
    numericTextShare: textValues.length === 0 ? null : round(numericText / textValues.length),
    textValues,
    numbers: null,
  };
}

function topValues(texts: readonly string[], raw: readonly SqlValue[], scale: number): TopValue[] {
  const counts = new Map<string, { n: number; v: SqlValue }>();
  texts.forEach((t, i) => {
    const e = counts.get(t);
    if (e) e.n++;
    else counts.set(t, { n: 1, v: raw[i]! });
  });
  return [...counts.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, TOP_K)
    .map(({ n, v }) => ({
      value: typeof v === 'number' || typeof v === 'boolean' ? v : textOf(v),
      count: Math.round(n * scale),
    }));
}

function histogramOf(
  sorted: Float64Array,
  lo: number,
  hi: number,
  type: LogicalType,
  scale: number,
  fmt: (x: number) => number | string,
): HistogramBin[] {
  if (sorted.length === 0) return [];
  // Integers spanning few values get one bin per value: a 1–5 rating shows five bars.
  const integral = type === 'integer' && hi - lo < MAX_BINS;
  const bins = integral
    ? hi - lo + 1
    : hi === lo
      ? 1
      : Math.min(MAX_BINS, Math.max(5, Math.ceil(Math.sqrt(sorted.length))));
  const width = integral ? 1 : (hi - lo) / bins || 1;
  const counts = new Float64Array(bins);
  for (const x of sorted) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / width)));
    counts[b]!++;
  }
  return Array.from(counts, (c, b) => ({
    lo: fmt(lo + b * width),
    hi: fmt(integral ? lo + b * width + 1 : b === bins - 1 ? hi : lo + (b + 1) * width),
    count: Math.round(c * scale),
  }));
}
