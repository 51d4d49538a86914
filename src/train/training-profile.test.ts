import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binCounts, categoricalProfile, numericProfile, psi, psiOf, trainingProfile } from './training-profile.js';

test('numeric profile: decile edges, shares per bin, the last share is missing', () => {
  const values = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  const p = numericProfile([...values, Number.NaN]);
  assert.equal(p.kind, 'numeric');
  assert.deepEqual((p as { edges: readonly number[] }).edges, [11, 21, 31, 41, 51, 61, 71, 81, 91]);
  // 1..11 in the first bin (v <= 11), ten per middle bin, 92..100 above the last edge, one missing.
  assert.deepEqual(binCounts(p, values), [11, 10, 10, 10, 10, 10, 10, 10, 10, 9, 0]);
  assert.equal(p.shares.at(-1), 1 / 101);
  assert.deepEqual(binCounts(p, [null, 'x', 11, 11.5, 1e9]), [1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
  // A 0/1 feature keeps two edges: no empty duplicate bins.
  assert.deepEqual((numericProfile([0, 0, 0, 1, 1]) as unknown as { edges: readonly number[] }).edges, [0, 1]);
});

test('categorical profile: the most frequent levels, then other, then missing', () => {
  const p = categoricalProfile(['a', 'b', 'a', null, 'c', 'a']);
  assert.deepEqual((p as unknown as { categories: readonly string[] }).categories, ['a', 'b', 'c']);
  assert.deepEqual(binCounts(p, ['a', 'zzz', null, 'c']), [1, 0, 1, 1, 1]);
});

test('psi: zero for the same shares, the textbook value for a shift, floored empty bins', () => {
  assert.equal(psi([0.25, 0.75], [0.25, 0.75]), 0);
  // (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5)
  assert.ok(Math.abs(psi([0.5, 0.5], [0.25, 0.75]) - (0.25 * Math.log(2) + 0.25 * Math.log(1.5))) < 1e-12);
  assert.ok(Number.isFinite(psi([1, 0], [0, 1])));
  assert.throws(() => psi([1], [0.5, 0.5]), /bins/);
  const p = numericProfile(Array.from({ length: 1000 }, (_, i) => i));
  assert.ok(
    psiOf(
      p,
      Array.from({ length: 1000 }, (_, i) => i),
    ).psi < 1e-9,
  );
  assert.ok(
    psiOf(
      p,
      Array.from({ length: 1000 }, (_, i) => i + 500),
    ).psi > 1,
  );
});

test('training profile: one per feature with its treatment; predictions without a value are left out', () => {
  const data = {
    rows: 4,
    features: [
      { name: 'x', kind: 'numeric' as const, values: Float64Array.from([1, 2, 3, Number.NaN]) },
      { name: 'c', kind: 'categorical' as const, codes: Int32Array.from([0, 1, -1, 0]), categories: ['u', 'v'] },
    ],
  };
  const prof = trainingProfile(
    data,
    new Map([['x', 'datetime' as const]]),
    { kind: 'binary', classes: ['n', 'y'] },
    Float64Array.from([0.1, Number.NaN, 0.9, 0.5]),
  );
  assert.deepEqual(
    prof.features.map((f) => [f.feature, f.treatment, f.kind]),
    [
      ['x', 'datetime', 'numeric'],
      ['c', 'categorical', 'categorical'],
    ],
  );
  assert.equal(prof.features[0]!.shares.at(-1), 0.25);
  assert.equal(prof.prediction.shares.at(-1), 0, 'the unvalidated row is not counted as missing');
  assert.ok(Math.abs(prof.prediction.shares.reduce((s, v) => s + v, 0) - 1) < 1e-12);
  const multi = trainingProfile(
    { rows: 2, features: [] },
    new Map(),
    { kind: 'multiclass', classes: ['a', 'b', 'c'] },
    Float64Array.from([0.2, 0.7, 0.1, 0.6, 0.3, 0.1]),
  );
  assert.deepEqual((multi.prediction as unknown as { categories: readonly string[] }).categories, ['a', 'b']);
});
