import { auc } from '../../learn/eval/metrics.js';
import { seededRandom, shuffleInPlace } from '../../learn/eval/seeded-random.js';

/** Code of the "missing" level: missing values are a level of their own, never dropped. */
export const MISSING = -1;
/** Levels of a categorical kept as such; the rest are pooled as "other". */
export const MAX_LEVELS = 20;
/** Numbers are cut into this many equal-count bins for mutual information. */
export const NUMERIC_BINS = 10;
const FOLDS = 5;
/** Pseudo-count pulling a level's target rate toward the overall rate (few rows, little trust). */
const SMOOTHING = 10;

/**
 * Codes for a numeric column: equal-count bins on its own quantiles (ties share a bin),
 * NaN as MISSING. Binning uses no target, so it leaks nothing into the association.
 */
export function binNumeric(values: Float64Array, bins = NUMERIC_BINS): Int32Array {
  const present = Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < bins && present.length > 0; b++) {
    const e = present[Math.floor((b * present.length) / bins)]!;
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  const out = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (Number.isNaN(v)) out[i] = MISSING;
    else {
      let lo = 0;
      let hi = edges.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v >= edges[mid]!) lo = mid + 1;
        else hi = mid;
      }
      out[i] = lo;
    }
  });
  return out;
}

/**
 * Codes for a categorical column: the commonest levels (at most MAX_LEVELS, each seen at least
 * `minCount` times) keep a code, the rest share "other", null is MISSING. Pooling rare levels
 * is what keeps a unique id from "explaining" the target by memorising one row per level.
 */
export function codeCategories(
  values: ReadonlyArray<string | null>,
  minCount = 5,
): { codes: Int32Array; levels: string[] } {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  const levels = [...counts]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_LEVELS)
    .map(([v]) => v);
  const index = new Map(levels.map((v, i) => [v, i]));
  const other = levels.length;
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    codes[i] = v === null ? MISSING : (index.get(v) ?? other);
  });
  return { codes, levels };
}

function entropyOf(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log2(c / n);
  return h;
}

/** Shannon entropy of a coded variable, in bits. */
export function entropy(y: Int32Array): number {
  const counts = new Map<number, number>();
  for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
  return entropyOf(counts.values(), y.length);
}

/** Mutual information of two coded variables, in bits: H(x) + H(y) − H(x, y). */
export function mutualInformation(x: Int32Array, y: Int32Array): number {
  const n = x.length;
  if (n === 0) return 0;
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = `${x[i]}|${y[i]}`;
    joint.set(k, (joint.get(k) ?? 0) + 1);
  }
  return Math.max(0, entropy(x) + entropy(y) - entropyOf(joint.values(), n));
}

/**
 * Rank AUC of a number against a binary target over the rows where the number is present,
 * oriented: an AUC below 0.5 means lower values go with the positive class.
 */
export function rankAuc(
  values: Float64Array,
  positive: Uint8Array,
): { auc: number; direction: 'higher' | 'lower' } | null {
  const rows: number[] = [];
  values.forEach((v, i) => {
    if (!Number.isNaN(v)) rows.push(i);
  });
  const a = auc(
    rows,
    (i) => values[i]!,
    (i) => positive[i] === 1,
  );
  if (Number.isNaN(a)) return null;
  return a >= 0.5 ? { auc: a, direction: 'higher' } : { auc: 1 - a, direction: 'lower' };
}

/**
 * AUC of a single-feature model that predicts each level's target rate, learned out of fold:
 * every row is scored by the rate its level had in the other folds (smoothed toward the
 * overall rate), so a level seen once scores the overall rate and cannot memorise its row.
 * About 0.5 means no signal.
 */
export function outOfFoldRateAuc(codes: Int32Array, positive: Uint8Array, seed = 7): number | null {
  const n = codes.length;
  const order = shuffleInPlace(
    Int32Array.from({ length: n }, (_, i) => i),
    seededRandom(seed),
  );
  const fold = new Int32Array(n);
  order.forEach((row, j) => {
    fold[row] = j % FOLDS;
  });
  const score = new Float64Array(n);
  for (let f = 0; f < FOLDS; f++) {
    const pos = new Map<number, number>();
    const all = new Map<number, number>();
    let totalPos = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (fold[i] === f) continue;
      all.set(codes[i]!, (all.get(codes[i]!) ?? 0) + 1);
      if (positive[i] === 1) pos.set(codes[i]!, (pos.get(codes[i]!) ?? 0) + 1);
      totalPos += positive[i]!;
      total++;
    }
    const prior = total === 0 ? 0 : totalPos / total;
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      const c = codes[i]!;
      // Relative to the fold's own prior: folds differ in prior, and a level never seen must
      // score the same (0) in every fold, else a useless feature would rank folds by prior.
      // (rate smoothed toward the prior) − prior, simplified; rounded so that float noise
      // (a pooled level holding every training row) cannot order the folds either.
      score[i] =
        Math.round((((pos.get(c) ?? 0) - prior * (all.get(c) ?? 0)) / ((all.get(c) ?? 0) + SMOOTHING)) * 1e9) / 1e9;
    }
  }
  const a = auc(
    Int32Array.from({ length: n }, (_, i) => i),
    (i) => score[i]!,
    (i) => positive[i] === 1,
  );
  return Number.isNaN(a) ? null : a;
}

/** AUC of "is this value missing" as the only feature (oriented), or null without both cases. */
export function missingnessAuc(missing: Uint8Array, positive: Uint8Array): number | null {
  const values = Float64Array.from(missing);
  return rankAuc(values, positive)?.auc ?? null;
}
