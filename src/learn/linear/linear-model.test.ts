import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Feature, LabelledDataset, Task } from '../dataset.js';
import { seededRandom } from '../eval/seeded-random.js';
import { linearFromJSON, trainLinear } from './linear-model.js';

function numericData(
  n: number,
  p: number,
  seed: number,
  target: (x: number[], rng: ReturnType<typeof seededRandom>) => number,
  task: Task,
): LabelledDataset {
  const rng = seededRandom(seed);
  const cols = Array.from({ length: p }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = cols.map((c, j) => (c[i] = rng.normal() * (j + 1) + j * 3));
    y[i] = target(row, rng);
  }
  const features: Feature[] = cols.map((values, j) => ({ name: `num${j}`, kind: 'numeric', values }));
  return { rows: n, features, task, target: y, targetName: 'y' };
}

/** Solve A x = b by Gaussian elimination with partial pivoting (A is small and dense). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((r, i) => r[n]! / r[i]!);
}

const tight = { maxIter: 50_000, tol: 1e-12 };

test('linear regression without penalty matches closed-form OLS in original units', () => {
  const beta = [1.5, -2, 0.25];
  const data = numericData(300, 3, 1, (x, rng) => 4 + x.reduce((s, v, j) => s + v * beta[j]!, 0) + rng.normal() * 0.5, {
    kind: 'regression',
  });
  const model = trainLinear(data, { lambda: 0, ...tight });
  // Normal equations on [1 X] in original units.
  const X = Array.from({ length: data.rows }, (_, i) => [
    1,
    ...data.features.map((f) => (f.kind === 'numeric' ? f.values[i]! : 0)),
  ]);
  const xtx = X[0]!.map((_, a) => X[0]!.map((__, b) => X.reduce((s, r) => s + r[a]! * r[b]!, 0)));
  const xty = X[0]!.map((_, a) => X.reduce((s, r, i) => s + r[a]! * data.target[i]!, 0));
  const ols = solve(xtx, xty);
  const byTerm = new Map(model.coefficients().map((c) => [c.term, c.perUnit]));
  for (let j = 0; j < 3; j++)
    assert.ok(
      Math.abs(byTerm.get(`num${j}`)! - ols[j + 1]!) < 1e-6,
      `num${j}: ${byTerm.get(`num${j}`)} vs ${ols[j + 1]}`,
    );
  const pred = model.predict(data).values;
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(pred[i]! - X[i]!.reduce((s, v, a) => s + v * ols[a]!, 0)) < 1e-6);
  assert.ok(model.converged);
});

test('ridge matches the closed form on standardised features', () => {
  const data = numericData(200, 4, 2, (x, rng) => x[0]! - x[1]! * 0.5 + x[3]! * 2 + rng.normal(), {
    kind: 'regression',
  });
  const lambda = 0.3;
  const model = trainLinear(data, { lambda, l1Ratio: 0, ...tight });
  const n = data.rows;
  const Z = standardised(data);
  const ym = data.target.reduce((s, a) => s + a, 0) / n;
  // (ZᵀZ/n + λI) w = Zᵀ(y − ȳ)/n
  const A = Z.map((za, a) => Z.map((zb, b) => za.reduce((s, v, i) => s + v * zb[i]!, 0) / n + (a === b ? lambda : 0)));
  const rhs = Z.map((z) => z.reduce((s, v, i) => s + v * (data.target[i]! - ym), 0) / n);
  const w = solve(A, rhs);
  const std = new Map(model.coefficients().map((c) => [c.term, c.standardised]));
  w.forEach((wj, j) => assert.ok(Math.abs(std.get(`num${j}`)! - wj) < 1e-7, `num${j}: ${std.get(`num${j}`)} vs ${wj}`));
});

test('L2 logistic regression matches a Newton (IRLS) fit', () => {
  const data = numericData(
    400,
    3,
    3,
    (x, rng) => (rng.next() < 1 / (1 + Math.exp(-(0.5 + x[0]! * 0.8 - x[2]! * 0.2))) ? 1 : 0),
    { kind: 'binary', classes: ['no', 'yes'] },
  );
  const lambda = 0.01;
  const model = trainLinear(data, { lambda, ...tight });
  const n = data.rows;
  const Z = standardised(data);
  // Newton on (1/n)Σ logloss + λ/2‖w‖², intercept last and unpenalised.
  let beta = [0, 0, 0, 0];
  for (let it = 0; it < 50; it++) {
    const g = [0, 0, 0, 0];
    const H = beta.map(() => [0, 0, 0, 0]);
    for (let i = 0; i < n; i++) {
      const row = [Z[0]![i]!, Z[1]![i]!, Z[2]![i]!, 1];
      const p = 1 / (1 + Math.exp(-row.reduce((s, v, a) => s + v * beta[a]!, 0)));
      for (let a = 0; a < 4; a++) {
        g[a]! += ((p - data.target[i]!) * row[a]!) / n;
        for (let b = 0; b < 4; b++) H[a]![b]! += (p * (1 - p) * row[a]! * row[b]!) / n;
      }
    }
    for (let a = 0; a < 3; a++) {
      g[a]! += lambda * beta[a]!;
      H[a]![a]! += lambda;
    }
    const step = solve(H, g);
    beta = beta.map((b, a) => b - step[a]!);
  }
  const std = new Map(model.coefficients().map((c) => [c.term, c.standardised]));
  for (let j = 0; j < 3; j++)
    assert.ok(Math.abs(std.get(`num${j}`)! - beta[j]!) < 1e-6, `num${j}: ${std.get(`num${j}`)} vs ${beta[j]}`);
  assert.ok(Math.abs(model.json.intercepts[0]! - beta[3]!) < 1e-6);
  assert.ok(model.describe().includes('log-odds'));
});

test('elastic net zeroes weak coefficients; multinomial probabilities sum to one; JSON round trip', () => {
  const data = numericData(300, 4, 4, (x) => (x[0]! > 0.5 ? 2 : x[1]! > 3 ? 1 : 0), {
    kind: 'multiclass',
    classes: ['a', 'b', 'c'],
  });
  const model = trainLinear(data, { lambda: 0.05, l1Ratio: 0.9 });
  const pred = model.predict(data).values;
  for (let i = 0; i < 10; i++) assert.ok(Math.abs(pred[i * 3]! + pred[i * 3 + 1]! + pred[i * 3 + 2]! - 1) < 1e-12);
  assert.ok(
    model.json.weights.some((w) => w === 0),
    'the L1 part should zero some weights',
  );
  const again = linearFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  assert.deepEqual(Array.from(again.predict(data).values), Array.from(pred));
});

test('categoricals are one-hot encoded with rare levels pooled; missing numbers imputed with an indicator', () => {
  const n = 200;
  const codes = Int32Array.from({ length: n }, (_, i) => (i === 0 ? 3 : i % 3 === 0 ? -1 : i % 2));
  const values = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? Number.NaN : i / n));
  const target = Float64Array.from(
    { length: n },
    (_, i) => (codes[i] === 1 ? 3 : 0) + (Number.isNaN(values[i]!) ? 1 : values[i]!),
  );
  const data: LabelledDataset = {
    rows: n,
    // Categorical first: coefficient names must follow the design matrix, not feature order.
    features: [
      { name: 'cat1', kind: 'categorical', codes, categories: ['x', 'y', 'z', 'rare'] },
      { name: 'num1', kind: 'numeric', values },
    ],
    task: { kind: 'regression' },
    target,
    targetName: 't',
  };
  const model = trainLinear(data, { lambda: 1e-4 });
  assert.deepEqual([...model.json.encoder.columns].sort(), [
    'cat1=(missing)',
    'cat1=(other)',
    'cat1=x',
    'cat1=y',
    'num1',
    'num1 (missing)',
  ]);
  const coef = new Map(model.coefficients().map((c) => [c.term, c.perUnit]));
  // target = 3·[cat1 = y] + num1 (or 1 when missing): the y level stands 3 above x.
  assert.ok(
    Math.abs(coef.get('cat1=y')! - coef.get('cat1=x')! - 3) < 0.05,
    `y − x = ${coef.get('cat1=y')! - coef.get('cat1=x')!}`,
  );
  assert.ok(Math.abs(coef.get('num1')! - 1) < 0.05, `num1 ${coef.get('num1')}`);
  const rmse = Math.sqrt(model.predict(data).values.reduce((s, v, i) => s + (v - target[i]!) ** 2, 0) / n);
  assert.ok(rmse < 0.05, `rmse ${rmse}`);
});

/** Each numeric feature as z-scores (population standard deviation), as the model standardises. */
function standardised(data: { rows: number; features: readonly unknown[] }): number[][] {
  const n = data.rows;
  return data.features.map((f) => {
    const v = (f as { values: Float64Array }).values;
    const m = v.reduce((s, a) => s + a, 0) / n;
    const sd = Math.sqrt(v.reduce((s, a) => s + (a - m) ** 2, 0) / n);
    return Array.from(v, (a) => (a - m) / sd);
  });
}
