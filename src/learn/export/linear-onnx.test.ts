import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { exportLinearOnnx } from './linear-onnx.js';
import { seededRandom } from '../gbdt/seeded-random.js';
import { FathomError } from '../../util/fathom-error.js';

const N = 200;
const F = 4;
const random = seededRandom(5);
const X = Float32Array.from({ length: N * F }, () => Math.fround(random() * 4 - 2));

async function run(bytes: Uint8Array): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  return session.run({ input: new ort.Tensor('float32', X, [N, F]) });
}

const dot = (w: readonly number[], i: number): number => w.reduce((s, wj, j) => s + wj * X[i * F + j]!, 0);

test('linear regression exports to LinearRegressor with matching predictions', async () => {
  const w = [0.5, -1.25, 2, 0.125];
  const out = (await run(exportLinearOnnx({ task: 'regression', coefficients: [w], intercepts: [3] })))['variable']!
    .data as Float32Array;
  for (let i = 0; i < N; i++) assert.ok(Math.abs(out[i]! - (dot(w, i) + 3)) < 1e-5);
});

test('binary and multiclass logistic models export to LinearClassifier with matching probabilities', async () => {
  const w = [1, -2, 0.5, 0.25];
  const bin = await run(
    exportLinearOnnx({ task: 'binary', coefficients: [w], intercepts: [-0.5], classes: ['no', 'yes'] }),
  );
  const pb = bin['probabilities']!.data as Float32Array;
  for (let i = 0; i < N; i++) {
    const p = 1 / (1 + Math.exp(-(dot(w, i) - 0.5)));
    assert.ok(
      Math.abs(pb[2 * i + 1]! - p) < 1e-5 && Math.abs(pb[2 * i]! - (1 - p)) < 1e-5,
      `row ${i}: ${pb[2 * i]}, ${pb[2 * i + 1]} vs p=${p}`,
    );
    assert.equal(Number((bin['label']!.data as BigInt64Array)[i]), p > 0.5 ? 1 : 0);
  }
  const W = [
    [1, 0, -1, 0.5],
    [0, 1, 0.5, -1],
    [-1, -1, 0, 0],
  ];
  const b = [0.1, -0.2, 0.3];
  const multi = await run(exportLinearOnnx({ task: 'multiclass', coefficients: W, intercepts: b }));
  const pm = multi['probabilities']!.data as Float32Array;
  for (let i = 0; i < N; i++) {
    const z = W.map((r, k) => dot(r, i) + b[k]!);
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((x, y) => x + y, 0);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(pm[3 * i + k]! - e[k]! / s) < 1e-5);
  }
});

test('misshapen coefficients are rejected', () => {
  assert.throws(() => exportLinearOnnx({ task: 'binary', coefficients: [[1], [2]], intercepts: [0, 0] }), FathomError);
  assert.throws(() => exportLinearOnnx({ task: 'regression', coefficients: [[1, 2]], intercepts: [] }), FathomError);
});
