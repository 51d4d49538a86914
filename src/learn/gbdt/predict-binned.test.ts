import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainGbdt } from './index.js';
import { categorical, numeric } from './test-data.fixture.js';
import { seededRandom } from './seeded-random.js';
import { rawColumns, type GbdtModel } from './gbdt-model.js';
import { flattenForest, predictRaw } from './flat-forest.js';
import { binForest, FIXED_DEPTH_LIMIT } from './binned-forest.js';
import { forestPredictor } from './predict-forest.js';
import { predictBinnedParallel } from './parallel-predict.js';
import type { GbdtTree } from './gbdt-tree.js';
import type { LabelledDataset, TaskKind } from '../dataset.js';

/**
 * Random rows: 4 numeric features with NaNs (one also with ±Infinity and -0 at predict time),
 * a 3-level categorical (one-vs-rest splits), a 40-level one (gradient-sorted splits) with
 * missing codes, and categories at predict time the model never saw.
 */
function randomTable(rows: number, kind: TaskKind, seed: number, unseen: boolean): LabelledDataset {
  const r = seededRandom(seed);
  const num = (missing: number, extremes: boolean): Float64Array =>
    Float64Array.from({ length: rows }, () => {
      const u = r();
      if (u < missing) return NaN;
      if (extremes && u < missing + 0.02) return [Infinity, -Infinity, -0, 0, 1e300][Math.floor(r() * 5)]!;
      return Math.round((r() * 4 - 2) * 100) / 100;
    });
  const x = [num(0.2, unseen), num(0.05, false), num(0, false), num(0.5, unseen)];
  const few = Int32Array.from({ length: rows }, () => Math.floor(r() * 3));
  const levels = unseen ? 45 : 40;
  const many = Int32Array.from({ length: rows }, () => (r() < 0.1 ? -1 : Math.floor(r() * levels)));
  const target = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const z =
      (x[0]![i]! !== x[0]![i]! ? 1 : x[0]![i]!) +
      Math.sin(3 * (x[1]![i]! || 0)) +
      (few[i] === 1 ? 1 : 0) +
      ((many[i]! * 7) % 5) / 2 -
      1.5 +
      r();
    target[i] = kind === 'regression' ? z : kind === 'binary' ? (z > 0.5 ? 1 : 0) : z < 0 ? 0 : z < 1.2 ? 1 : 2;
  }
  const manyNames = Array.from({ length: levels }, (_, k) => `m${k}`);
  return {
    rows,
    features: [
      ...x.map((v, f) => numeric(`x${f}`, v)),
      categorical('few', few, ['a', 'b', 'c']),
      categorical('many', many, manyNames),
    ],
    task:
      kind === 'regression'
        ? { kind }
        : kind === 'binary'
          ? { kind, classes: ['n', 'y'] }
          : { kind, classes: ['a', 'b', 'c'] },
    target,
    targetName: 'y',
  };
}

function reference(model: GbdtModel, data: LabelledDataset): Float64Array {
  const columns = rawColumns(data, model.featureNames, model.state.featureBins);
  return predictRaw(
    flattenForest(model.trees, model.outputs),
    columns,
    data.rows,
    model.state.initScores,
    model.trees.length,
  );
}

function assertBitIdentical(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]))
      assert.fail(`${what}: value ${i} is ${actual[i]}, the raw-value reference gives ${expected[i]}`);
  }
}

for (const kind of ['binary', 'regression', 'multiclass'] as const) {
  test(`${kind}: binned prediction, 1 and 2 threads, equals prediction on raw values bit for bit (NaN, ±Infinity, categoricals, unseen categories)`, async () => {
    const model = await trainGbdt(
      randomTable(3000, kind, 11, false),
      { numRounds: 25, numLeaves: 15, minDataInLeaf: 5 },
      { threads: 1 },
    );
    assert.ok(
      model.trees.some((t) => t.categorical.includes(1)),
      'the model has categorical splits',
    );
    assert.ok(
      model.trees.some((t) => t.defaultLeft.some((d, j) => d === 1 && t.categorical[j] === 0)),
      'some numeric split sends missing values left',
    );
    const data = randomTable(40_000, kind, 12, true);
    const expected = reference(model, data);
    assertBitIdentical(model.predictRaw(data, { threads: 1 }), expected, '1 thread');
    assertBitIdentical(model.predictRaw(data, { threads: 2 }), expected, '2 threads');
    const binned = binForest(model.trees, model.outputs, model.featureNames.length)!;
    const columns = rawColumns(data, model.featureNames, model.state.featureBins);
    assertBitIdentical(
      predictBinnedParallel(binned, columns, data.rows, model.state.initScores, model.trees.length, 3, 1000),
      expected,
      '3 threads, small chunks',
    );
    // Forests too big for the transition table walk the per-node bits instead.
    const noTable = binForest(model.trees, model.outputs, model.featureNames.length, 0)!;
    assert.equal(noTable.next, null);
    assertBitIdentical(
      predictBinnedParallel(noTable, columns, data.rows, model.state.initScores, model.trees.length, 2, 1000),
      expected,
      'without the transition table',
    );
  });
}

/** A tree from parent links: node j splits `feature` at `threshold` (or on `cats`), children by index. */
function tree(
  nodes: Array<{ f: number; thr?: number; cats?: number[]; dl?: 0 | 1; l: number; r: number }>,
  leaves: number[],
): GbdtTree {
  const k = nodes.length;
  const catBitset = new Uint32Array(8 * k);
  nodes.forEach((n, j) => n.cats?.forEach((b) => (catBitset[8 * j + (b >>> 5)]! |= 1 << (b & 31))));
  return {
    splitFeature: Int32Array.from(nodes, (n) => n.f),
    threshold: Float64Array.from(nodes, (n) => n.thr ?? 0),
    thresholdBin: new Uint8Array(k),
    defaultLeft: Uint8Array.from(nodes, (n) => n.dl ?? 0),
    categorical: Uint8Array.from(nodes, (n) => (n.cats === undefined ? 0 : 1)),
    catBitset,
    left: Int32Array.from(nodes, (n) => n.l),
    right: Int32Array.from(nodes, (n) => n.r),
    gain: new Float64Array(k),
    nodeCount: new Float64Array(k),
    leafValue: Float64Array.from(leaves),
    leafCount: new Float64Array(leaves.length),
  };
}

test('hand-made trees: thresholds off any bin edge, ±Infinity thresholds, a chain deeper than the fixed-depth walk, a one-leaf tree', () => {
  const depth = FIXED_DEPTH_LIMIT + 6;
  const chain = Array.from({ length: depth }, (_, j) => ({
    f: 0,
    thr: depth - j - 0.5,
    dl: (j % 2) as 0 | 1,
    l: ~j,
    r: j + 1 < depth ? j + 1 : ~depth,
  }));
  const trees = [
    tree(
      [
        { f: 0, thr: 0.123456789, dl: 1, l: 1, r: ~2 },
        { f: 1, cats: [0, 2, 255], l: ~0, r: ~1 },
      ],
      [1, 2, 3],
    ),
    tree(
      [
        { f: 0, thr: Infinity, l: ~0, r: 1 },
        { f: 2, thr: -Infinity, dl: 1, l: ~1, r: ~2 },
      ],
      [0.5, -0.25, 0.125],
    ),
    tree([], [0.0625]),
    tree(
      chain,
      Array.from({ length: depth + 1 }, (_, j) => j / 1024),
    ),
  ];
  const r = seededRandom(5);
  const rows = 5000;
  const pick = (): number =>
    [NaN, Infinity, -Infinity, -0, 0.123456789, Math.fround(0.123456789)][Math.floor(r() * 6)]!;
  const columns = [
    Float64Array.from({ length: rows }, () => (r() < 0.3 ? pick() : r() * (depth + 2) - 1)),
    Float64Array.from({ length: rows }, () => Math.floor(r() * 4) + (r() < 0.2 ? 252 : 0)),
    Float64Array.from({ length: rows }, () => (r() < 0.3 ? pick() : r() - 0.5)),
  ];
  const init = [0.75];
  const expected = predictRaw(flattenForest(trees, 1), columns, rows, init, trees.length);
  const predictor = forestPredictor(trees, 1, 3, init);
  assertBitIdentical(predictor.predict(columns, rows, 1), expected, '1 thread');
  assertBitIdentical(predictor.predict(columns, rows, 2), expected, '2 threads');
  assertBitIdentical(
    predictBinnedParallel(binForest(trees, 1, 3)!, columns, rows, init, trees.length, 2, 700),
    expected,
    '2 threads, small chunks',
  );
  assertBitIdentical(
    predictBinnedParallel(binForest(trees, 1, 3, 0)!, columns, rows, init, trees.length, 2, 700),
    expected,
    'without the transition table',
  );
});

test('a feature split both as numeric and as categorical falls back to raw values, with the same answers', () => {
  const trees = [tree([{ f: 0, thr: 1.5, l: ~0, r: ~1 }], [1, 2]), tree([{ f: 0, cats: [1], l: ~0, r: ~1 }], [4, 8])];
  assert.equal(binForest(trees, 1, 1), null);
  const columns = [Float64Array.of(0, 1, 2, 3, NaN, 255)];
  const expected = predictRaw(flattenForest(trees, 1), columns, 6, [0], 2);
  assertBitIdentical(forestPredictor(trees, 1, 1, [0]).predict(columns, 6, 1), expected, 'fallback');
});
