/**
 * Penalised linear models by FISTA (accelerated proximal gradient) with backtracking and
 * adaptive restart (O'Donoghue & Candès 2015), one solver for all three losses:
 *
 *   minimise (1/n) Σ loss(yᵢ, xᵢW + b) + λ ((1 − ρ)/2 ‖W‖² + ρ ‖W‖₁)
 *
 * with squared error (½r²), binary logistic, or multinomial softmax loss. The intercept is
 * not penalised. With standardised inputs the problem is well conditioned, the step comes
 * from a power-iteration estimate of the Lipschitz constant, and restart turns FISTA's
 * O(1/k²) into linear convergence when λ(1−ρ) > 0.
 */
export type LinearLoss = 'squared' | 'logistic' | 'softmax';

export interface SolverOptions {
  readonly lambda: number;
  /** ρ: 0 is ridge (L2), 1 is lasso, in between elastic net. */
  readonly l1Ratio: number;
  readonly maxIter: number;
  /** Stop when no coefficient moved more than tol × max(1, largest coefficient). */
  readonly tol: number;
}

export interface SolverResult {
  /** Coefficients, p × K row-major (K = 1 except softmax), then K intercepts. */
  readonly weights: Float64Array;
  readonly intercepts: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

export function fitPenalised(
  x: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  loss: LinearLoss,
  k: number,
  opts: SolverOptions,
): SolverResult {
  const K = loss === 'softmax' ? k : 1;
  const dim = (p + 1) * K; // last K entries are the intercepts
  const l2 = opts.lambda * (1 - opts.l1Ratio);
  const l1 = opts.lambda * opts.l1Ratio;
  const curvature = loss === 'squared' ? 1 : loss === 'logistic' ? 0.25 : 0.5;
  let L = curvature * largestEigen(x, n, p) + l2;
  const xk = new Float64Array(dim);
  if (loss === 'squared') {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i]!;
    xk[p] = s / n; // start at the mean: the intercept is the slowest coordinate otherwise
  }
  let prev = new Float64Array(xk);
  const yk = new Float64Array(xk);
  const grad = new Float64Array(dim);
  const cand = new Float64Array(dim);
  // Linear predictors of x_k, x_{k-1}, the candidate and y_k. y_k is an affine combination of
  // x_k and x_{k-1}, so its predictor is the same combination: two passes over X per
  // iteration (candidate predictor, gradient) instead of three.
  let zX = new Float64Array(n * K);
  predictor(x, n, p, K, xk, zX);
  let zPrev = zX.slice();
  let zC = new Float64Array(n * K);
  const zY = zX.slice();
  const r = new Float64Array(n * K);
  let t = 1;
  let iter = 0;
  let converged = false;
  for (; iter < opts.maxIter; iter++) {
    const fy = lossAndResidual(zY, y, loss, n, K, r) + ridge(yk, p * K, l2);
    gradient(x, n, p, K, r, yk, l2, grad);
    // Backtracking: grow L until the quadratic model bounds f at the candidate.
    for (;;) {
      for (let j = 0; j < dim; j++) {
        const v = yk[j]! - grad[j]! / L;
        const isIntercept = j >= p * K;
        cand[j] = isIntercept || l1 === 0 ? v : softThreshold(v, l1 / L);
      }
      predictor(x, n, p, K, cand, zC);
      const fc = lossAndResidual(zC, y, loss, n, K, null) + ridge(cand, p * K, l2);
      let bound = fy;
      for (let j = 0; j < dim; j++) {
        const d = cand[j]! - yk[j]!;
        bound += grad[j]! * d + (L / 2) * d * d;
      }
      if (fc <= bound + 1e-12 * Math.max(1, Math.abs(fc))) break;
      L *= 2;
    }
    let maxMove = 0;
    let maxAbs = 0;
    let restart = 0;
    for (let j = 0; j < dim; j++) {
      const move = cand[j]! - xk[j]!;
      maxMove = Math.max(maxMove, Math.abs(move));
      maxAbs = Math.max(maxAbs, Math.abs(cand[j]!));
      restart += (yk[j]! - cand[j]!) * move;
    }
    prev = xk.slice();
    xk.set(cand);
    [zPrev, zX, zC] = [zX, zC, zPrev];
    if (maxMove <= opts.tol * Math.max(1, maxAbs)) {
      converged = true;
      iter++;
      break;
    }
    if (restart > 0) t = 1;
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tNext;
    for (let j = 0; j < dim; j++) yk[j] = xk[j]! + beta * (xk[j]! - prev[j]!);
    for (let i = 0; i < zY.length; i++) zY[i] = zX[i]! + beta * (zX[i]! - zPrev[i]!);
    t = tNext;
  }
  return { weights: xk.slice(0, p * K), intercepts: xk.slice(p * K), iterations: iter, converged };
}

const softThreshold = (v: number, a: number): number => (v > a ? v - a : v < -a ? v + a : 0);

/** z = X·W + b for every row and output. */
function predictor(x: Float64Array, n: number, p: number, K: number, w: Float64Array, z: Float64Array): void {
  const b = p * K;
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let c = 0; c < K; c++) {
      let s = w[b + c]!;
      for (let j = 0; j < p; j++) s += x[row + j]! * w[j * K + c]!;
      z[i * K + c] = s;
    }
  }
}

/** Mean loss at predictors z; with `r`, also dLoss/dz per row and output. */
function lossAndResidual(
  z: Float64Array,
  y: Float64Array,
  loss: LinearLoss,
  n: number,
  K: number,
  r: Float64Array | null,
): number {
  let f = 0;
  for (let i = 0; i < n; i++) {
    if (loss === 'squared') {
      const d = z[i]! - y[i]!;
      f += 0.5 * d * d;
      if (r) r[i] = d;
    } else if (loss === 'logistic') {
      const s = z[i]!;
      // log(1 + e^s) − y·s and the sigmoid from one exp(−|s|): transcendentals, not the
      // multiply-adds, were most of a logistic fit's time.
      const e = Math.exp(-Math.abs(s));
      f += (s > 0 ? s : 0) + Math.log1p(e) - y[i]! * s;
      if (r) r[i] = (s >= 0 ? 1 / (1 + e) : e / (1 + e)) - y[i]!;
    } else {
      const o = i * K;
      let m = -Infinity;
      for (let c = 0; c < K; c++) m = Math.max(m, z[o + c]!);
      let sum = 0;
      for (let c = 0; c < K; c++) sum += Math.exp(z[o + c]! - m);
      const lse = m + Math.log(sum);
      f += lse - z[o + y[i]!]!;
      if (r) for (let c = 0; c < K; c++) r[o + c] = Math.exp(z[o + c]! - lse) - (c === y[i] ? 1 : 0);
    }
  }
  return f / n;
}

const ridge = (w: Float64Array, count: number, l2: number): number => {
  let s = 0;
  for (let j = 0; j < count; j++) s += w[j]! * w[j]!;
  return (l2 / 2) * s;
};

/** Gradient of the smooth part: Xᵀr/n plus the ridge term (intercepts unpenalised). */
function gradient(
  x: Float64Array,
  n: number,
  p: number,
  K: number,
  r: Float64Array,
  w: Float64Array,
  l2: number,
  grad: Float64Array,
): void {
  const b = p * K;
  grad.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let c = 0; c < K; c++) {
      const ri = r[i * K + c]! / n;
      if (ri === 0) continue;
      grad[b + c]! += ri;
      for (let j = 0; j < p; j++) grad[j * K + c]! += x[row + j]! * ri;
    }
  }
  for (let j = 0; j < b; j++) grad[j]! += l2 * w[j]!;
}

/**
 * Largest eigenvalue of [X 1]ᵀ[X 1] / n by power iteration: the curvature scale that sets the
 * first step. An underestimate is safe (backtracking doubles L), so 12 iterations on an evenly
 * strided sample of at most 4096 rows suffice; on all rows it cost a quarter of a fit.
 */
function largestEigen(x: Float64Array, n: number, p: number): number {
  const m = Math.min(n, 4096);
  const stride = n / m;
  const rows = Int32Array.from({ length: m }, (_, i) => Math.floor(i * stride));
  const v = new Float64Array(p + 1).fill(1 / Math.sqrt(p + 1));
  const xv = new Float64Array(m);
  let lambda = 1;
  for (let it = 0; it < 12; it++) {
    for (let k = 0; k < m; k++) {
      const row = rows[k]! * p;
      let s = v[p]!;
      for (let j = 0; j < p; j++) s += x[row + j]! * v[j]!;
      xv[k] = s;
    }
    const next = new Float64Array(p + 1);
    for (let k = 0; k < m; k++) {
      const row = rows[k]! * p;
      for (let j = 0; j < p; j++) next[j]! += x[row + j]! * xv[k]!;
      next[p]! += xv[k]!;
    }
    let norm = 0;
    for (let j = 0; j <= p; j++) norm += next[j]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return 1;
    lambda = norm / m;
    for (let j = 0; j <= p; j++) v[j] = next[j]! / norm;
  }
  return lambda * 1.1;
}
