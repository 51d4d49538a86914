import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_GBDT_PARAMS, gbdtFromJSON, trainGbdt } from './index.js';
import { categorical, numeric, sliceRows, syntheticTable } from './test-data.fixture.js';
import type { LabelledDataset } from '../dataset.js';
import { FathomError } from '../../util/fathom-error.js';

function accuracy(pred: Float64Array, y: Float64Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) ok += (pred[i]! > 0.5 ? 1 : 0) === y[i] ? 1 : 0;
  return ok / y.length;
}

test('defaults are LightGBM defaults', () => {
  const d = DEFAULT_GBDT_PARAMS;
  assert.deepEqual(
    [
      d.numRounds,
      d.learningRate,
      d.numLeaves,
      d.maxDepth,
      d.minDataInLeaf,
      d.minSumHessianInLeaf,
      d.lambdaL1,
      d.lambdaL2,
      d.maxBins,
      d.featureFraction,
      d.baggingFraction,
      d.baggingFreq,
      d.maxCatThreshold,
      d.catSmooth,
    ],
    [100, 0.1, 31, -1, 20, 1e-3, 0, 0, 255, 1, 1, 0, 32, 10],
  );
});

test('learns an XOR-like interaction, a categorical effect and informative missingness', async () => {
  const all = syntheticTable(4000, 'binary');
  const train = sliceRows(all, 0, 3000);
  const testSet = sliceRows(all, 3000, 4000);
  const model = await trainGbdt(train, {}, { threads: 1 });
  assert.ok(accuracy(model.predict(testSet).values, testSet.target) > 0.9);
  const gain = Object.fromEntries(model.importance('gain').map((g) => [g.feature, g.value]));
  // x3 is noise: every real effect outweighs it.
  for (const f of ['x0', 'x1', 'x2', 'c0'])
    assert.ok(gain[f]! > gain['x3']!, `${f} gain ${gain[f]} <= noise ${gain['x3']}`);
});

test('a missing value and a category each move the prediction the way the data says', async () => {
  const n = 3000;
  const x = new Float64Array(n);
  const codes = new Int32Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i % 4 === 0 ? NaN : (i % 97) / 97;
    codes[i] = i % 7;
    y[i] = (Number.isNaN(x[i]!) ? 5 : 0) + (codes[i] === 3 ? 3 : 0) + (codes[i] === 5 ? -2 : 0);
  }
  const data: LabelledDataset = {
    rows: n,
    features: [numeric('x', x), categorical('c', codes, ['a', 'b', 'c', 'd', 'e', 'f', 'g'])],
    task: { kind: 'regression' },
    target: y,
    targetName: 'y',
  };
  const model = await trainGbdt(data, { numRounds: 200 }, { threads: 1 });
  const probe: LabelledDataset = {
    rows: 4,
    features: [
      numeric('x', Float64Array.of(NaN, 0.5, 0.5, 0.5)),
      categorical('c', Int32Array.of(0, 0, 3, 5), ['a', 'b', 'c', 'd', 'e', 'f', 'g']),
    ],
    task: { kind: 'regression' },
    target: new Float64Array(4),
    targetName: 'y',
  };
  const p = model.predict(probe).values;
  assert.ok(Math.abs(p[0]! - 5) < 0.1, `missing: ${p[0]}`);
  assert.ok(Math.abs(p[1]!) < 0.1, `baseline: ${p[1]}`);
  assert.ok(Math.abs(p[2]! - 3) < 0.1, `category d: ${p[2]}`);
  assert.ok(Math.abs(p[3]! + 2) < 0.1, `category f: ${p[3]}`);
});

test('categories are matched by name, and unseen ones take the missing direction', async () => {
  const train = syntheticTable(2000, 'regression');
  const model = await trainGbdt(train, { numRounds: 20 }, { threads: 1 });
  const c = train.features[3]!;
  assert.equal(c.kind, 'categorical');
  if (c.kind !== 'categorical') return;
  // Same rows, categories listed in another order (codes remapped) plus an unseen one.
  const reordered = ['f', 'e', 'd', 'c', 'b', 'a', 'zzz'];
  const codes = c.codes.map((k) => (k < 0 ? -1 : reordered.indexOf(c.categories[k]!)));
  const other = {
    ...train,
    features: train.features.map((f, i) => (i === 3 ? categorical('c0', codes, reordered) : f)),
  };
  assert.deepEqual(model.predict(other).values, model.predict(train).values);
  const unseen = {
    ...train,
    features: train.features.map((f, i) =>
      i === 3
        ? categorical(
            'c0',
            c.codes.map(() => 6),
            reordered,
          )
        : f,
    ),
  };
  const missing = {
    ...train,
    features: train.features.map((f, i) =>
      i === 3
        ? categorical(
            'c0',
            c.codes.map(() => -1),
            reordered,
          )
        : f,
    ),
  };
  assert.deepEqual(model.predict(unseen).values, model.predict(missing).values);
});

test('multiclass and huber objectives learn', async () => {
  const all = syntheticTable(3000, 'multiclass');
  const model = await trainGbdt(sliceRows(all, 0, 2000), {}, { threads: 1 });
  assert.equal(model.trees.length, 300);
  const testSet = sliceRows(all, 2000, 3000);
  const p = model.predict(testSet).values;
  let ok = 0;
  for (let i = 0; i < testSet.rows; i++) {
    const row = [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!];
    assert.ok(Math.abs(row[0]! + row[1]! + row[2]! - 1) < 1e-9);
    ok += row.indexOf(Math.max(...row)) === testSet.target[i] ? 1 : 0;
  }
  assert.ok(ok / testSet.rows > 0.8, `multiclass accuracy ${ok / testSet.rows}`);
  const reg = syntheticTable(2000, 'regression');
  const huber = await trainGbdt(reg, { objective: 'huber', numRounds: 50 }, { threads: 1 });
  const pr = huber.predict(reg).values;
  let se = 0;
  let sv = 0;
  const mean = reg.target.reduce((a, b) => a + b, 0) / reg.rows;
  for (let i = 0; i < reg.rows; i++) {
    se += (pr[i]! - reg.target[i]!) ** 2;
    sv += (reg.target[i]! - mean) ** 2;
  }
  assert.ok(se / sv < 0.2, `huber R² ${1 - se / sv}`);
});

test('early stopping stops and keeps the best round', async () => {
  const all = syntheticTable(2000, 'binary');
  const rounds: Array<number | null> = [];
  const model = await trainGbdt(
    sliceRows(all, 0, 1000),
    { numRounds: 1000, earlyStoppingRounds: 5, learningRate: 0.3 },
    { threads: 1, valid: sliceRows(all, 1000, 2000), onRound: (_, loss) => rounds.push(loss) },
  );
  assert.ok(rounds.length < 1000, `ran ${rounds.length} rounds`);
  assert.equal(rounds.length, model.bestIteration + 5);
  assert.equal(model.trees.length, model.bestIteration);
  const best = Math.min(...(rounds as number[]));
  assert.equal(rounds[model.bestIteration - 1], best);
});

test('same seed and data give an identical model, with bagging and feature fraction, on 1 or 2 threads', async () => {
  const data = syntheticTable(3000, 'binary');
  const params = { baggingFraction: 0.7, baggingFreq: 1, featureFraction: 0.8, seed: 3, numRounds: 30 };
  const a = JSON.stringify((await trainGbdt(data, params, { threads: 1 })).toJSON());
  const b = JSON.stringify((await trainGbdt(data, params, { threads: 1 })).toJSON());
  const c = JSON.stringify((await trainGbdt(data, params, { threads: 2 })).toJSON());
  assert.equal(a, b);
  assert.equal(a, c);
  const other = JSON.stringify((await trainGbdt(data, { ...params, seed: 4 }, { threads: 1 })).toJSON());
  assert.notEqual(a, other);
});

test('JSON round trip predicts identically; a damaged file is rejected with a FathomError', async () => {
  const data = syntheticTable(1500, 'multiclass');
  const model = await trainGbdt(data, { numRounds: 20 }, { threads: 1 });
  const json = JSON.parse(JSON.stringify(model.toJSON()));
  const back = gbdtFromJSON(json);
  assert.deepEqual(back.predict(data).values, model.predict(data).values);
  assert.deepEqual(back.toJSON(), json);
  json.trees[0].left[0] = 9999;
  assert.throws(
    () => gbdtFromJSON(json),
    (e: unknown) => e instanceof FathomError && /child 9999/.test(e.message),
  );
  assert.throws(() => gbdtFromJSON({ format: 'other' }), FathomError);
});

test('bad input names the problem', async () => {
  const data = syntheticTable(100, 'binary');
  const bad = { ...data, target: data.target.map((v, i) => (i === 7 ? 2 : v)) };
  await assert.rejects(trainGbdt(bad), (e: unknown) => e instanceof FathomError && /row 7/.test(e.message));
  await assert.rejects(
    trainGbdt(data, { numLeaves: 1 }),
    (e: unknown) => e instanceof FathomError && /numLeaves/.test(e.message),
  );
  const model = await trainGbdt(data, { numRounds: 2, minDataInLeaf: 5 }, { threads: 1 });
  assert.throws(
    () => model.predict({ rows: 1, features: [] }),
    (e: unknown) => e instanceof FathomError && /x0/.test(e.message),
  );
});

test('an aborted signal stops training', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    trainGbdt(syntheticTable(200, 'binary'), {}, { threads: 1, signal: controller.signal }),
    /aborted/,
  );
});
