import type { Association } from '../catalog/catalog.js';
import { round } from './patterns.js';

/** A column prepared for association: numbers (NaN = missing) or category codes (-1 = missing). */
export type AssocColumn =
  | { readonly name: string; readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly name: string; readonly kind: 'categorical'; readonly codes: Int32Array; readonly levels: number };

/** Pairs need this many rows where both values are present, or they are left out. */
const MIN_PAIR_ROWS = 10;

/**
 * Pairwise association for every pair of columns: Pearson and Spearman for two numeric
 * columns, Cramér's V (bias-corrected, Bergsma 2013) for two categorical ones, and the
 * correlation ratio η for a numeric and a categorical one.
 */
export function associations(columns: readonly AssocColumn[]): Association[] {
  const ranks = new Map<string, Float64Array>();
  const rankOf = (c: AssocColumn & { kind: 'numeric' }) => {
    let r = ranks.get(c.name);
    if (!r) ranks.set(c.name, (r = rank(c.values)));
    return r;
  };
  const out: Association[] = [];
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      const a = columns[i]!,
        b = columns[j]!;
      if (a.kind === 'numeric' && b.kind === 'numeric') {
        const p = pearson(a.values, b.values);
        if (p !== null) out.push({ a: a.name, b: b.name, method: 'pearson', value: round(p) });
        const s = pearson(rankOf(a), rankOf(b));
        if (s !== null) out.push({ a: a.name, b: b.name, method: 'spearman', value: round(s) });
      } else if (a.kind === 'categorical' && b.kind === 'categorical') {
        const v = cramersV(a.codes, a.levels, b.codes, b.levels);
        if (v !== null) out.push({ a: a.name, b: b.name, method: 'cramers_v', value: round(v) });
      } else {
        const [num, cat] =
          a.kind === 'numeric'
            ? [a, b as AssocColumn & { kind: 'categorical' }]
            : [b as AssocColumn & { kind: 'numeric' }, a as AssocColumn & { kind: 'categorical' }];
        const eta = correlationRatio(cat.codes, cat.levels, num.values);
        if (eta !== null) out.push({ a: a.name, b: b.name, method: 'correlation_ratio', value: round(eta) });
      }
    }
  }
  return out;
}

/** Pearson's r over rows where both are present; null if too few rows or a constant column. */
export function pearson(x: Float64Array, y: Float64Array): number | null {
  let n = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]!) || Number.isNaN(y[i]!)) continue;
    n++;
    sx += x[i]!;
    sy += y[i]!;
  }
  if (n < MIN_PAIR_ROWS) return null;
  const mx = sx / n,
    my = sy / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]!) || Number.isNaN(y[i]!)) continue;
    const dx = x[i]! - mx,
      dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Average ranks (ties share their mean rank); NaN stays NaN. */
export function rank(values: Float64Array): Float64Array {
  const idx = Array.from(values.keys()).filter((i) => !Number.isNaN(values[i]!));
  idx.sort((p, q) => values[p]! - values[q]!);
  const out = new Float64Array(values.length).fill(NaN);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && values[idx[j + 1]!] === values[idx[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[idx[k]!] = r;
    i = j + 1;
  }
  return out;
}

/** Bias-corrected Cramér's V in [0, 1]. */
export function cramersV(a: Int32Array, ka: number, b: Int32Array, kb: number): number | null {
  const table = new Float64Array(ka * kb);
  const ra = new Float64Array(ka),
    rb = new Float64Array(kb);
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < 0 || b[i]! < 0) continue;
    table[a[i]! * kb + b[i]!]!++;
    ra[a[i]!]!++;
    rb[b[i]!]!++;
    n++;
  }
  if (n < MIN_PAIR_ROWS) return null;
  const r = ra.filter((x) => x > 0).length,
    k = rb.filter((x) => x > 0).length;
  if (r < 2 || k < 2) return null;
  let chi2 = 0;
  for (let i = 0; i < ka; i++) {
    if (ra[i] === 0) continue;
    for (let j = 0; j < kb; j++) {
      if (rb[j] === 0) continue;
      const e = (ra[i]! * rb[j]!) / n;
      const d = table[i * kb + j]! - e;
      chi2 += (d * d) / e;
    }
  }
  const phi2 = chi2 / n;
  const phi2c = Math.max(0, phi2 - ((k - 1) * (r - 1)) / (n - 1));
  const rc = r - (r - 1) ** 2 / (n - 1),
    kc = k - (k - 1) ** 2 / (n - 1);
  const denom = Math.min(kc - 1, rc - 1);
  return denom <= 0 ? null : Math.min(1, Math.sqrt(phi2c / denom));
}

/** Correlation ratio η: how much of a numeric column's variance the categories explain. */
export function correlationRatio(codes: Int32Array, levels: number, y: Float64Array): number | null {
  const sum = new Float64Array(levels),
    cnt = new Float64Array(levels);
  let n = 0,
    total = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i]! < 0 || Number.isNaN(y[i]!)) continue;
    sum[codes[i]!]! += y[i]!;
    cnt[codes[i]!]!++;
    total += y[i]!;
    n++;
  }
  if (n < MIN_PAIR_ROWS) return null;
  const mean = total / n;
  let between = 0,
    within = 0;
  for (let l = 0; l < levels; l++) if (cnt[l]! > 0) between += cnt[l]! * (sum[l]! / cnt[l]! - mean) ** 2;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i]! < 0 || Number.isNaN(y[i]!)) continue;
    within += (y[i]! - mean) ** 2;
  }
  return within === 0 ? null : Math.sqrt(between / within);
}
