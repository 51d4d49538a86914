import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDataset, encodeDataset } from './dataset-codec.js';
import type { LabelledDataset } from './dataset.js';

test('a dataset survives the bytes exactly, NaNs, missing codes, groups and times included, in shared memory', () => {
  const d: LabelledDataset = {
    rows: 3,
    task: { kind: 'binary', classes: ['no', 'yes'] },
    targetName: 'churned',
    features: [
      { name: 'age', kind: 'numeric', values: Float64Array.of(31, Number.NaN, -0.5) },
      { name: 'plan', kind: 'categorical', codes: Int32Array.of(1, -1, 0), categories: ['basic', 'pro'] },
      { name: 'odd', kind: 'numeric', values: Float64Array.of(1e300, 5e-324, 0) },
    ],
    target: Float64Array.of(0, 1, 1),
    groups: Int32Array.of(7, 7, 8),
    time: Float64Array.of(1.7e12, 1.8e12, 1.9e12),
  };
  const bytes = encodeDataset(d);
  const back = decodeDataset(bytes);
  assert.deepEqual(back, { ...d, features: d.features.map((f) => ({ ...f })) });
  assert.ok(Object.is((back.features[0] as { values: Float64Array }).values[1], Number.NaN));
  assert.ok((back.features[0] as { values: Float64Array }).values.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(encodeDataset(back), bytes, 'the encoding is canonical: same rows, same bytes');
  assert.throws(() => decodeDataset(new Uint8Array(8)), /not a Fathom dataset|JSON/);
});
