import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { trainGbdt } from '../gbdt/index.js';
import { sliceRows, syntheticTable } from '../gbdt/test-data.fixture.js';
import { exportGbdtOnnx } from './gbdt-onnx.js';
import { gbdtOnnxInput } from './onnx-input.js';
import type { TaskKind } from '../dataset.js';

async function run(bytes: Uint8Array, input: Float32Array, features: number): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  return session.run({ input: new ort.Tensor('float32', input, [input.length / features, features]) });
}

for (const kind of ['binary', 'multiclass', 'regression'] as TaskKind[]) {
  test(`ONNX export of a ${kind} GBDT predicts as we do in onnxruntime (missing values, categoricals)`, async () => {
    const all = syntheticTable(2500, kind, 11);
    const model = await trainGbdt(sliceRows(all, 0, 2000), { numRounds: 40, minDataInLeaf: 10 }, { threads: 1 });
    assert.ok(
      model.trees.some((t) => t.categorical.some((c) => c === 1)),
      'the model uses a categorical split',
    );
    assert.ok(
      model.trees.some((t) => t.defaultLeft.some((d) => d === 1)),
      'some split sends missing values left',
    );
    const data = sliceRows(all, 2000, 2500);
    const ours = model.predict(data).values;
    const F = model.featureNames.length;
    const out = await run(exportGbdtOnnx(model), gbdtOnnxInput(model, data), F);
    if (kind === 'regression') {
      const got = out['variable']!.data as Float32Array;
      for (let i = 0; i < data.rows; i++)
        assert.ok(
          Math.abs(got[i]! - ours[i]!) < 1e-5 * Math.max(1, Math.abs(ours[i]!)),
          `row ${i}: onnx ${got[i]} vs ours ${ours[i]}`,
        );
      return;
    }
    const probs = out['probabilities']!.data as Float32Array;
    const labels = out['label']!.data as BigInt64Array;
    const C = kind === 'binary' ? 2 : 3;
    for (let i = 0; i < data.rows; i++) {
      for (let c = 0; c < C; c++) {
        const want = kind === 'binary' ? (c === 1 ? ours[i]! : 1 - ours[i]!) : ours[i * C + c]!;
        assert.ok(
          Math.abs(probs[i * C + c]! - want) < 1e-5,
          `row ${i} class ${c}: onnx ${probs[i * C + c]} vs ours ${want}`,
        );
      }
      const row = Array.from(probs.subarray(i * C, i * C + C));
      assert.equal(Number(labels[i]), row.indexOf(Math.max(...row)));
    }
  });
}
