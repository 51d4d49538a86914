import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupKFold, shuffledKFold, stratifiedKFold, timeSplit } from './splits.js';

test('stratified k-fold keeps the class share in every fold and covers each row once', () => {
  const y = Float64Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0));
  const folds = stratifiedKFold(y, 5, 7);
  const seen = new Int32Array(100);
  for (const f of folds) {
    assert.equal(f.valid.length, 20);
    assert.equal(Array.from(f.valid).filter((i) => y[i] === 1).length, 4);
    assert.equal(f.train.length + f.valid.length, 100);
    for (const i of f.valid) seen[i]!++;
  }
  assert.ok(seen.every((c) => c === 1));
  assert.deepEqual(stratifiedKFold(y, 5, 7), folds, 'same seed, same folds');
  assert.notDeepEqual(stratifiedKFold(y, 5, 8), folds);
  assert.equal(
    shuffledKFold(10, 3, 1).reduce((s, f) => s + f.valid.length, 0),
    10,
  );
});

test('group k-fold never splits a group', () => {
  const groups = Int32Array.from({ length: 60 }, (_, i) => i % 7);
  const folds = groupKFold(groups, 3);
  const foldOf = new Map<number, number>();
  folds.forEach((f, k) => {
    for (const i of f.valid) {
      const g = groups[i]!;
      assert.ok(!foldOf.has(g) || foldOf.get(g) === k, `group ${g} split`);
      foldOf.set(g, k);
    }
  });
  assert.equal(foldOf.size, 7);
  assert.throws(() => groupKFold(Int32Array.from([1, 1, 2]), 3), /at least 3 groups/);
});

test('time split validates only on rows later than everything it trains on', () => {
  const time = Float64Array.from({ length: 50 }, (_, i) => (i * 37) % 50); // shuffled times 0..49
  const folds = timeSplit(time, 4);
  assert.equal(folds.length, 4);
  for (const f of folds) {
    const trainMax = Math.max(...Array.from(f.train, (i) => time[i]!));
    const validMin = Math.min(...Array.from(f.valid, (i) => time[i]!));
    assert.ok(trainMax < validMin);
  }
  assert.equal(folds[3]!.train.length + folds[3]!.valid.length, 50);
});
