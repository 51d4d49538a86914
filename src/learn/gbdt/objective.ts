import type { GbdtParams } from './gbdt-params.js';

/**
 * A loss: its gradients, the starting score, the link from raw scores to predictions, and the
 * validation loss early stopping watches. Scores and gradients are class-major:
 * `scores[k * rows + i]` is class k's raw score for row i (k is 0 except for multiclass).
 */
export interface Objective {
  readonly name: GbdtParams['objective'];
  /** Trees per round: the class count for multiclass, else 1. */
  readonly outputs: number;
  initScores(target: Float64Array): number[];
  gradients(target: Float64Array, scores: Float64Array, grad: Float64Array, hess: Float64Array): void;
  /** Mean loss over rows (binary/multiclass logloss, L2, Huber), as LightGBM's default metrics. */
  loss(target: Float64Array, scores: Float64Array): number;
}

export function makeObjective(name: GbdtParams['objective'], classes: number, huberDelta: number): Objective {
  switch (name) {
    case 'binary':
      return binaryObjective();
    case 'multiclass':
      return multiclassObjective(classes);
    case 'regression':
      return regressionObjective();
    case 'huber':
      return huberObjective(huberDelta);
  }
}

const EPS = 1e-15;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function binaryObjective(): Objective {
  return {
    name: 'binary',
    outputs: 1,
    initScores(y) {
      let pos = 0;
      for (let i = 0; i < y.length; i++) pos += y[i]!;
      const p = Math.min(Math.max(pos / y.length, EPS), 1 - EPS);
      return [Math.log(p / (1 - p))];
    },
    gradients(y, s, g, h) {
      for (let i = 0; i < y.length; i++) {
        const p = sigmoid(s[i]!);
        g[i] = p - y[i]!;
        h[i] = p * (1 - p);
      }
    },
    loss(y, s) {
      let sum = 0;
      for (let i = 0; i < y.length; i++) {
        const p = Math.min(Math.max(sigmoid(s[i]!), EPS), 1 - EPS);
        sum -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
      }
      return sum / y.length;
    },
  };
}

function multiclassObjective(k: number): Objective {
  // LightGBM scales the softmax hessian by k/(k-1).
  const factor = k / (k - 1);
  const softmaxRow = (s: Float64Array, n: number, i: number, p: Float64Array): void => {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, s[c * n + i]!);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      p[c] = Math.exp(s[c * n + i]! - max);
      sum += p[c]!;
    }
    for (let c = 0; c < k; c++) p[c]! /= sum;
  };
  return {
    name: 'multiclass',
    outputs: k,
    initScores(y) {
      const counts = new Float64Array(k);
      for (let i = 0; i < y.length; i++) counts[y[i]!]! += 1;
      return [...counts].map((c) => Math.log(Math.max(c / y.length, EPS)));
    },
    gradients(y, s, g, h) {
      const n = y.length;
      const p = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        softmaxRow(s, n, i, p);
        for (let c = 0; c < k; c++) {
          const pc = p[c]!;
          g[c * n + i] = pc - (y[i] === c ? 1 : 0);
          h[c * n + i] = factor * pc * (1 - pc);
        }
      }
    },
    loss(y, s) {
      const n = y.length;
      const p = new Float64Array(k);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        softmaxRow(s, n, i, p);
        sum -= Math.log(Math.max(p[y[i]!]!, EPS));
      }
      return sum / n;
    },
  };
}

function mean(y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += y[i]!;
  return sum / y.length;
}

function regressionObjective(): Objective {
  return {
    name: 'regression',
    outputs: 1,
    initScores: (y) => [mean(y)],
    gradients(y, s, g, h) {
      for (let i = 0; i < y.length; i++) {
        g[i] = s[i]! - y[i]!;
        h[i] = 1;
      }
    },
    loss(y, s) {
      let sum = 0;
      for (let i = 0; i < y.length; i++) sum += (s[i]! - y[i]!) ** 2;
      return sum / y.length;
    },
  };
}

function huberObjective(delta: number): Objective {
  return {
    name: 'huber',
    outputs: 1,
    initScores: (y) => [mean(y)],
    gradients(y, s, g, h) {
      for (let i = 0; i < y.length; i++) {
        const d = s[i]! - y[i]!;
        g[i] = Math.abs(d) <= delta ? d : Math.sign(d) * delta;
        h[i] = 1;
      }
    },
    loss(y, s) {
      let sum = 0;
      for (let i = 0; i < y.length; i++) {
        const a = Math.abs(s[i]! - y[i]!);
        sum += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
      }
      return sum / y.length;
    },
  };
}

/** Raw scores to predictions, row-major as `Predictions.values` wants. */
export function transformScores(
  name: GbdtParams['objective'],
  outputs: number,
  raw: Float64Array,
  rows: number,
): Float64Array {
  if (name === 'binary') return raw.map(sigmoid);
  if (name !== 'multiclass') return raw;
  // raw is row-major [row][class] here.
  const out = new Float64Array(rows * outputs);
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let c = 0; c < outputs; c++) max = Math.max(max, raw[i * outputs + c]!);
    let sum = 0;
    for (let c = 0; c < outputs; c++) sum += out[i * outputs + c] = Math.exp(raw[i * outputs + c]! - max);
    for (let c = 0; c < outputs; c++) out[i * outputs + c]! /= sum;
  }
  return out;
}
