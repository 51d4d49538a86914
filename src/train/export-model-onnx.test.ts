import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type { LabelledDataset } from '../learn/dataset.js';
import { seededRandom } from '../learn/eval/seeded-random.js';
import { trainLinear } from '../learn/linear/index.js';
import { trainGbdt } from '../learn/gbdt/index.js';
import { gbdtOnnxInput } from '../learn/export/index.js';
import { FathomModel, type FathomModelJson } from './fathom-model.js';
import { exportModelOnnx } from './export-model-onnx.js';

function data(kind: 'binary' | 'multiclass' | 'regression'): LabelledDataset {
  const rng = seededRandom(11);
  const n = 300;
  const a = Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? Number.NaN : 20 + rng.normal() * 5));
  const b = Float64Array.from({ length: n }, () => rng.normal() * 1000);
  const codes = Int32Array.from({ length: n }, (_, i) => (i % 23 === 0 ? -1 : rng.int(3)));
  const z = Float64Array.from(
    { length: n },
    (_, i) => (Number.isNaN(a[i]!) ? 0 : a[i]! - 20) / 5 + b[i]! / 1000 + codes[i]! * 0.7 + rng.normal() * 0.3,
  );
  const classes = kind === 'binary' ? ['n', 'y'] : kind === 'multiclass' ? ['lo', 'mid', 'hi'] : undefined;
  const target = Float64Array.from(z, (v) =>
    kind === 'regression' ? v * 10 : kind === 'binary' ? (v > 0.5 ? 1 : 0) : v < 0 ? 0 : v < 1.2 ? 1 : 2,
  );
  return {
    rows: n,
    features: [
      { name: 'cat1', kind: 'categorical', codes, categories: ['x', 'y', 'z'] },
      { name: 'num1', kind: 'numeric', values: a },
      { name: 'num2', kind: 'numeric', values: b },
    ],
    task: classes ? { kind, classes } : { kind },
    target,
    targetName: 't',
  };
}

function wrap(d: LabelledDataset, family: 'linear' | 'gbdt', json: unknown): FathomModel {
  const plan = {
    features: d.features.map((f) => ({
      column: f.name,
      treatment: f.kind === 'numeric' ? ('numeric' as const) : ('categorical' as const),
    })),
    dropped: [],
  };
  const j: FathomModelJson = {
    format: 'fathom.model',
    version: 1,
    task: d.task,
    target: 't',
    plan,
    members: [{ weight: 1, family, params: {}, trial: 'x', fit: 'refit', models: [json] }],
  };
  return new FathomModel(j);
}

/** The raw-unit design matrix the exported linear model takes: means where missing, 0/1 one-hot. */
function linearInput(model: FathomModel, d: LabelledDataset, columns: readonly string[]): Float32Array {
  const enc = (model.json.members[0]!.models[0] as { encoder: { numeric: Array<{ name: string; mean: number }> } })
    .encoder;
  const out = new Float32Array(d.rows * columns.length);
  columns.forEach((col, j) => {
    for (let i = 0; i < d.rows; i++) {
      let v = 0;
      const eq = col.indexOf('=');
      if (col.endsWith(' (missing)')) {
        const f = d.features.find((x) => x.name === col.slice(0, -10))!;
        v = f.kind === 'numeric' && Number.isNaN(f.values[i]!) ? 1 : 0;
      } else if (eq > 0) {
        const f = d.features.find((x) => x.name === col.slice(0, eq))!;
        const level = col.slice(eq + 1);
        if (f.kind === 'categorical')
          v = (f.codes[i] === -1 ? '(missing)' : f.categories[f.codes[i]!]) === level ? 1 : 0;
      } else {
        const f = d.features.find((x) => x.name === col)!;
        const raw = f.kind === 'numeric' ? f.values[i]! : 0;
        v = Number.isNaN(raw) ? enc.numeric.find((x) => x.name === col)!.mean : raw;
      }
      out[i * columns.length + j] = v;
    }
  });
  return out;
}

async function onnxPredict(
  bytes: Uint8Array,
  input: Float32Array,
  rows: number,
  cols: number,
  kind: string,
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ input: new ort.Tensor('float32', input, [rows, cols]) });
  return (kind === 'regression' ? out['variable']! : out['probabilities']!).data as Float32Array;
}

for (const kind of ['binary', 'multiclass', 'regression'] as const) {
  test(`a single ${kind} linear model exports to ONNX in original units and predicts as ours`, async () => {
    const d = data(kind);
    const model = wrap(d, 'linear', trainLinear(d, { lambda: 0.01 }).toJSON());
    const ex = exportModelOnnx(model);
    const got = await onnxPredict(
      ex.bytes,
      linearInput(model, d, ex.inputColumns),
      d.rows,
      ex.inputColumns.length,
      kind,
    );
    const want = model.predict(d).values;
    const width = kind === 'multiclass' ? 3 : 1;
    for (let i = 0; i < d.rows; i++) {
      for (let c = 0; c < width; c++) {
        const g = kind === 'binary' ? got[2 * i + 1]! : got[i * width + c]!;
        const tol = kind === 'regression' ? 1e-5 * Math.max(1, Math.abs(want[i]!)) : 1e-5;
        assert.ok(Math.abs(g - want[i * width + c]!) < tol, `row ${i}: onnx ${g} vs ours ${want[i * width + c]}`);
      }
    }
  });
}

test('a single GBDT exports to ONNX and predicts as ours; an ensemble is refused with the reason', async () => {
  const d = data('binary');
  const gbdt = await trainGbdt(d, { numRounds: 20, numLeaves: 7, minDataInLeaf: 5 });
  const model = wrap(d, 'gbdt', gbdt.toJSON());
  const ex = exportModelOnnx(model);
  const got = await onnxPredict(ex.bytes, gbdtOnnxInput(gbdt, d), d.rows, ex.inputColumns.length, 'binary');
  const want = model.predict(d).values;
  for (let i = 0; i < d.rows; i++) assert.ok(Math.abs(got[2 * i + 1]! - want[i]!) < 1e-5, `row ${i}`);
  const two = new FathomModel({
    ...model.json,
    members: [
      { ...model.json.members[0]!, weight: 0.5 },
      { ...model.json.members[0]!, weight: 0.5 },
    ],
  });
  assert.throws(() => exportModelOnnx(two), /ONNX export needs a single model; the chosen model blends 2 models/);
});
