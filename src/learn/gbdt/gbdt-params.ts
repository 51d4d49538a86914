import { badInput } from '../../util/fathom-error.js';

/** Training parameters. Names follow LightGBM's (camelCased); so do the defaults. */
export interface GbdtParams {
  objective: 'binary' | 'multiclass' | 'regression' | 'huber';
  numRounds: number;
  learningRate: number;
  numLeaves: number;
  /** -1 means no limit. */
  maxDepth: number;
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  lambdaL1: number;
  lambdaL2: number;
  /** Bins per feature for non-missing values (missing values get one more bin of their own). */
  maxBins: number;
  /** Fraction of features each tree may split on. */
  featureFraction: number;
  baggingFraction: number;
  /** Re-draw the bag every `baggingFreq` rounds; 0 turns bagging off. */
  baggingFreq: number;
  /** Stop when the validation loss has not improved for this many rounds; 0 turns it off. */
  earlyStoppingRounds: number;
  seed: number;
  /** Most categories a gradient-sorted categorical split puts on one side. */
  maxCatThreshold: number;
  /** Smoothing of the per-category gradient ratio used to order categories. */
  catSmooth: number;
  /** Huber loss: residuals beyond this are treated linearly (LightGBM's `alpha`). */
  huberDelta: number;
}

/** LightGBM's defaults (v4 docs), with LightGBM's alpha=0.9 as the Huber delta. */
export const DEFAULT_GBDT_PARAMS: Readonly<GbdtParams> = Object.freeze({
  objective: 'regression',
  numRounds: 100,
  learningRate: 0.1,
  numLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 20,
  minSumHessianInLeaf: 1e-3,
  lambdaL1: 0,
  lambdaL2: 0,
  maxBins: 255,
  featureFraction: 1,
  baggingFraction: 1,
  baggingFreq: 0,
  earlyStoppingRounds: 0,
  seed: 0,
  maxCatThreshold: 32,
  catSmooth: 10,
  huberDelta: 0.9,
});

/** LightGBM constants that are parameters there but fixed here. */
export const MAX_CAT_TO_ONEHOT = 4;
export const CAT_L2 = 10;
export const MIN_DATA_PER_GROUP = 100;

/** Defaults, then the caller's values; every number checked with a message naming the fix. */
export function resolveGbdtParams(
  given: Partial<GbdtParams>,
  objective: GbdtParams['objective'],
): Readonly<GbdtParams> {
  const p: GbdtParams = { ...DEFAULT_GBDT_PARAMS, objective, ...stripUndefined(given) };
  const check = (ok: boolean, name: keyof GbdtParams, want: string): void => {
    if (!ok) throw badInput(`GBDT parameter ${name} = ${String(p[name])} is out of range`, `use ${want}`);
  };
  const int = (v: number): boolean => Number.isInteger(v);
  check(
    ['binary', 'multiclass', 'regression', 'huber'].includes(p.objective),
    'objective',
    'binary, multiclass, regression or huber',
  );
  check(int(p.numRounds) && p.numRounds >= 1, 'numRounds', 'an integer >= 1');
  check(p.learningRate > 0 && Number.isFinite(p.learningRate), 'learningRate', 'a number > 0');
  check(int(p.numLeaves) && p.numLeaves >= 2 && p.numLeaves <= 131072, 'numLeaves', 'an integer in 2..131072');
  check(int(p.maxDepth) && (p.maxDepth === -1 || p.maxDepth >= 1), 'maxDepth', '-1 (no limit) or an integer >= 1');
  check(int(p.minDataInLeaf) && p.minDataInLeaf >= 1, 'minDataInLeaf', 'an integer >= 1');
  check(p.minSumHessianInLeaf >= 0, 'minSumHessianInLeaf', 'a number >= 0');
  check(p.lambdaL1 >= 0, 'lambdaL1', 'a number >= 0');
  check(p.lambdaL2 >= 0, 'lambdaL2', 'a number >= 0');
  check(int(p.maxBins) && p.maxBins >= 2 && p.maxBins <= 255, 'maxBins', 'an integer in 2..255');
  check(p.featureFraction > 0 && p.featureFraction <= 1, 'featureFraction', 'a number in (0, 1]');
  check(p.baggingFraction > 0 && p.baggingFraction <= 1, 'baggingFraction', 'a number in (0, 1]');
  check(int(p.baggingFreq) && p.baggingFreq >= 0, 'baggingFreq', 'an integer >= 0');
  check(int(p.earlyStoppingRounds) && p.earlyStoppingRounds >= 0, 'earlyStoppingRounds', 'an integer >= 0');
  check(int(p.seed), 'seed', 'an integer');
  check(int(p.maxCatThreshold) && p.maxCatThreshold >= 1, 'maxCatThreshold', 'an integer >= 1');
  check(p.catSmooth >= 0, 'catSmooth', 'a number >= 0');
  check(p.huberDelta > 0, 'huberDelta', 'a number > 0');
  return Object.freeze(p);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
