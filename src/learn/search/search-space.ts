import type { ParamDim, Params } from './param-space.js';

export type Family = 'linear' | 'gbdt';

/** What the search knows about a model family before fitting anything: where it searches, and where it starts. */
export interface SearchSpace {
  readonly family: Family;
  /** Searched dimensions; `init` values form the low-cost starting point. */
  readonly dims: readonly ParamDim[];
  /** Proven configurations tried first (zero-shot), cheapest first. */
  readonly portfolio: readonly Params[];
}

export const linearSpace: SearchSpace = {
  family: 'linear',
  dims: [
    { name: 'lambda', scale: 'log', integer: false, low: 1e-5, high: 10, init: 1e-2 },
    { name: 'l1Ratio', scale: 'linear', integer: false, low: 0, high: 1, init: 0 },
  ],
  portfolio: [
    { lambda: 1e-2, l1Ratio: 0 },
    { lambda: 1e-3, l1Ratio: 0.5 },
  ],
};

/**
 * Gradient-boosted trees. The low-cost start is FLAML's (4 trees of 4 leaves); the portfolio
 * runs from a cheap model through LightGBM's defaults to slower, more regularised ones.
 */
export const gbdtSpace: SearchSpace = {
  family: 'gbdt',
  dims: [
    { name: 'numRounds', scale: 'log', integer: true, low: 4, high: 1000, init: 4 },
    { name: 'numLeaves', scale: 'log', integer: true, low: 4, high: 512, init: 4 },
    { name: 'learningRate', scale: 'log', integer: false, low: 0.01, high: 1, init: 0.1 },
    { name: 'minDataInLeaf', scale: 'log', integer: true, low: 2, high: 128, init: 20 },
    { name: 'featureFraction', scale: 'linear', integer: false, low: 0.3, high: 1, init: 1 },
    { name: 'lambdaL2', scale: 'log', integer: false, low: 1e-3, high: 100, init: 1e-3 },
  ],
  portfolio: [
    { numRounds: 20, numLeaves: 4, learningRate: 0.3, minDataInLeaf: 20, featureFraction: 1, lambdaL2: 0.001 },
    { numRounds: 100, numLeaves: 31, learningRate: 0.1, minDataInLeaf: 20, featureFraction: 1, lambdaL2: 0.001 },
    { numRounds: 200, numLeaves: 15, learningRate: 0.05, minDataInLeaf: 10, featureFraction: 0.8, lambdaL2: 1 },
    { numRounds: 400, numLeaves: 63, learningRate: 0.05, minDataInLeaf: 40, featureFraction: 0.7, lambdaL2: 10 },
  ],
};

/** The families the search uses: the linear baseline first (cheap), then trees. */
export const SEARCH_SPACES: readonly SearchSpace[] = [linearSpace, gbdtSpace];
