import type { CategoricalFeature, LabelledDataset, NumericFeature, TaskKind } from '../dataset.js';
import { seededRandom } from './seeded-random.js';

/** Small synthetic tables for GBDT tests and the ONNX parity test. */
export function numeric(name: string, values: Float64Array): NumericFeature {
  return { name, kind: 'numeric', values };
}

export function categorical(name: string, codes: Int32Array, categories: string[]): CategoricalFeature {
  return { name, kind: 'categorical', codes, categories };
}

/**
 * `rows` rows of: x0, x1 uniform in [-1, 1] (XOR-like sign interaction), x2 with 15% missing
 * (missing raises the target), c0 a 6-level categorical with its own effect, x3 noise.
 * Values are float32-exact so ONNX runtimes see the same numbers. The target is a regression
 * value, a binary label (value > 0) or a 3-class label.
 */
export function syntheticTable(rows: number, kind: TaskKind, seed = 7): LabelledDataset {
  const random = seededRandom(seed);
  const u = (): number => Math.fround(random() * 2 - 1);
  const x0 = new Float64Array(rows);
  const x1 = new Float64Array(rows);
  const x2 = new Float64Array(rows);
  const x3 = new Float64Array(rows);
  const c0 = new Int32Array(rows);
  const target = new Float64Array(rows);
  const catEffect = [-1.5, -0.5, 0, 0.5, 1.5, 1];
  for (let i = 0; i < rows; i++) {
    x0[i] = u();
    x1[i] = u();
    x2[i] = random() < 0.15 ? NaN : u();
    x3[i] = u();
    c0[i] = random() < 0.05 ? -1 : Math.floor(random() * 6);
    const xor = x0[i]! * x1[i]! > 0 ? 1.5 : -1.5;
    const miss = Number.isNaN(x2[i]!) ? 1.5 : x2[i]! * 0.5;
    const cat = c0[i]! < 0 ? 0 : catEffect[c0[i]!]!;
    const value = xor + miss + cat + (random() - 0.5) * 0.5;
    target[i] =
      kind === 'regression' ? value : kind === 'binary' ? (value > 0.3 ? 1 : 0) : value < -1 ? 0 : value < 1 ? 1 : 2;
  }
  return {
    rows,
    features: [
      numeric('x0', x0),
      numeric('x1', x1),
      numeric('x2', x2),
      categorical('c0', c0, ['a', 'b', 'c', 'd', 'e', 'f']),
      numeric('x3', x3),
    ],
    task:
      kind === 'regression'
        ? { kind }
        : kind === 'binary'
          ? { kind, classes: ['no', 'yes'] }
          : { kind, classes: ['low', 'mid', 'high'] },
    target,
    targetName: 'y',
  };
}

/** Rows [from, to) of a dataset. */
export function sliceRows(d: LabelledDataset, from: number, to: number): LabelledDataset {
  return {
    ...d,
    rows: to - from,
    features: d.features.map((f) =>
      f.kind === 'numeric'
        ? numeric(f.name, f.values.slice(from, to))
        : categorical(f.name, f.codes.slice(from, to), [...f.categories]),
    ),
    target: d.target.slice(from, to),
  };
}
