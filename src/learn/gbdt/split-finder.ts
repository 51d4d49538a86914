import { CAT_L2, MAX_CAT_TO_ONEHOT, MIN_DATA_PER_GROUP, type GbdtParams } from './gbdt-params.js';
import { MISSING_BIN } from './feature-bins.js';

/** The best split of one leaf. `gain` is -Infinity when the leaf cannot split. */
export interface SplitInfo {
  gain: number;
  feature: number;
  /** Numeric: bins <= thresholdBin go left. */
  thresholdBin: number;
  /** Numeric: where missing values go. Categorical: whether bin 255 is in `catBitset`. */
  defaultLeft: boolean;
  /** Categorical: 8 words over 256 bins; a set bit sends that bin left. */
  catBitset: Uint32Array | null;
  leftG: number;
  leftH: number;
  leftCount: number;
}

export function emptySplit(): SplitInfo {
  return {
    gain: -Infinity,
    feature: -1,
    thresholdBin: 0,
    defaultLeft: false,
    catBitset: null,
    leftG: 0,
    leftH: 0,
    leftCount: 0,
  };
}

/** LightGBM's soft threshold for L1. */
function thresholdL1(g: number, l1: number): number {
  if (l1 === 0) return g;
  const r = Math.abs(g) - l1;
  return r > 0 ? Math.sign(g) * r : 0;
}

export function leafGain(g: number, h: number, l1: number, l2: number): number {
  const t = thresholdL1(g, l1);
  return (t * t) / (h + l2);
}

export function leafOutput(g: number, h: number, l1: number, l2: number): number {
  return -thresholdL1(g, l1) / (h + l2);
}

export interface LeafTotals {
  readonly g: number;
  readonly h: number;
  readonly count: number;
}

/**
 * Best split of one feature from its histogram at `off`, written into `best` when it beats it.
 * `nb` is the feature's count of non-missing bins.
 */
export function findFeatureSplit(
  hist: Float64Array,
  off: number,
  feature: number,
  nb: number,
  categorical: boolean,
  totals: LeafTotals,
  p: Readonly<GbdtParams>,
  best: SplitInfo,
): void {
  if (categorical) findCategoricalSplit(hist, off, feature, nb, totals, p, best);
  else findNumericSplit(hist, off, feature, nb, totals, p, best);
}

function findNumericSplit(
  hist: Float64Array,
  off: number,
  feature: number,
  nb: number,
  t: LeafTotals,
  p: Readonly<GbdtParams>,
  best: SplitInfo,
): void {
  const { lambdaL1: l1, lambdaL2: l2, minDataInLeaf: minData, minSumHessianInLeaf: minHess } = p;
  const cntFactor = t.count / t.h;
  const missG = hist[off + 2 * MISSING_BIN]!;
  const missH = hist[off + 2 * MISSING_BIN + 1]!;
  const missCount = Math.round(missH * cntFactor);
  const hasMissing = missCount > 0;
  const shift = leafGain(t.g, t.h, l1, l2);
  let cg = 0;
  let ch = 0;
  let cc = 0;
  // With no missing values the last bin cannot be a threshold (everything would go left);
  // with them, "all values left, missing right" is a split of its own. Two passes per bin:
  // missing right (m = 0), then missing left (m = 1). Inlined: this runs per leaf × feature × bin.
  const lastT = hasMissing ? nb - 1 : nb - 2;
  bins: for (let b = 0; b <= lastT; b++) {
    const hh = hist[off + 2 * b + 1]!;
    cg += hist[off + 2 * b]!;
    ch += hh;
    cc += Math.round(hh * cntFactor);
    for (let m = 0; m < (hasMissing && b < nb - 1 ? 2 : 1); m++) {
      const lg = m === 0 ? cg : cg + missG;
      const lh = m === 0 ? ch : ch + missH;
      const lc = m === 0 ? cc : cc + missCount;
      const rc = t.count - lc;
      const rh = t.h - lh;
      if (lc < minData || rh < minHess || lh < minHess) continue;
      // Left only grows from here on.
      if (rc < minData) break bins;
      const rg = t.g - lg;
      const gain =
        l1 === 0
          ? (lg * lg) / (lh + l2) + (rg * rg) / (rh + l2) - shift
          : leafGain(lg, lh, l1, l2) + leafGain(rg, rh, l1, l2) - shift;
      if (!(gain > best.gain)) continue;
      best.gain = gain;
      best.feature = feature;
      best.thresholdBin = b;
      // Without missing values in training, unseen missing values follow the larger child (as
      // scikit-learn does).
      best.defaultLeft = hasMissing ? m === 1 : lc >= rc;
      best.catBitset = null;
      best.leftG = lg;
      best.leftH = lh;
      best.leftCount = lc;
    }
  }
}

/**
 * LightGBM's categorical splits: with at most MAX_CAT_TO_ONEHOT categories present, one
 * category against the rest; otherwise categories sorted by smoothed gradient ratio and split
 * along that order, with at most maxCatThreshold categories on the left. Missing values are
 * one more category (bin 255), so their direction is learned too.
 */
function findCategoricalSplit(
  hist: Float64Array,
  off: number,
  feature: number,
  nb: number,
  t: LeafTotals,
  p: Readonly<GbdtParams>,
  best: SplitInfo,
): void {
  const { lambdaL1: l1, minDataInLeaf: minData, minSumHessianInLeaf: minHess } = p;
  const cntFactor = t.count / t.h;
  const present: number[] = [];
  for (let b = 0; b < nb; b++) if (hist[off + 2 * b + 1]! * cntFactor >= 0.5) present.push(b);
  if (hist[off + 2 * MISSING_BIN + 1]! * cntFactor >= 0.5) present.push(MISSING_BIN);
  if (present.length < 2) return;
  const oneHot = present.length <= MAX_CAT_TO_ONEHOT;
  const l2 = oneHot ? p.lambdaL2 : p.lambdaL2 + CAT_L2;
  const shift = leafGain(t.g, t.h, l1, l2);
  const consider = (lg: number, lh: number, lc: number, set: readonly number[]): void => {
    const rc = t.count - lc;
    const rh = t.h - lh;
    if (lc < minData || rc < minData || lh < minHess || rh < minHess) return;
    const gain = leafGain(lg, lh, l1, l2) + leafGain(t.g - lg, rh, l1, l2) - shift;
    if (!(gain > best.gain)) return;
    const bits = new Uint32Array(8);
    for (const b of set) bits[b >>> 5]! |= 1 << (b & 31);
    best.gain = gain;
    best.feature = feature;
    best.thresholdBin = 0;
    best.defaultLeft = set.includes(MISSING_BIN);
    best.catBitset = bits;
    best.leftG = lg;
    best.leftH = lh;
    best.leftCount = lc;
  };
  if (oneHot) {
    for (const b of present) {
      const h = hist[off + 2 * b + 1]!;
      consider(hist[off + 2 * b]!, h, Math.round(h * cntFactor), [b]);
    }
    return;
  }
  const used = present.filter((b) => hist[off + 2 * b + 1]! * cntFactor >= MIN_DATA_PER_GROUP);
  const ratio = (b: number): number => hist[off + 2 * b]! / (hist[off + 2 * b + 1]! + p.catSmooth);
  used.sort((a, b) => ratio(a) - ratio(b) || a - b);
  const maxCats = Math.min(p.maxCatThreshold, Math.floor((used.length + 1) / 2));
  for (const order of [used, [...used].reverse()]) {
    let lg = 0;
    let lh = 0;
    let lc = 0;
    for (let i = 0; i < maxCats && i < order.length - 1; i++) {
      const b = order[i]!;
      lg += hist[off + 2 * b]!;
      lh += hist[off + 2 * b + 1]!;
      lc += Math.round(hist[off + 2 * b + 1]! * cntFactor);
      consider(lg, lh, lc, order.slice(0, i + 1));
    }
  }
}
