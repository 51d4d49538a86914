import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numericProfile, psi, psiOf } from '../../train/training-profile.js';
import { BinAccumulator } from './bin-accumulator.js';

test('psi() matches a hand-computed value, floors empty bins at 1e-4, and is 0 for equal shares', () => {
  // (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5) = 0.25·ln 2 + 0.25·ln 1.5
  //   = 0.25 · 0.693147 + 0.25 · 0.405465 = 0.274653
  assert.ok(Math.abs(psi([0.5, 0.5], [0.25, 0.75]) - 0.274653) < 1e-6);
  // An empty training bin counts as 1e-4: (0.1 − 0.0001)·ln(0.1/0.0001) + (0.4 − 0.5)·ln(0.4/0.5)
  //   = 0.0999 · 6.907755 + 0.1 · 0.223144 = 0.690085 + 0.022314 = 0.712400
  assert.ok(Math.abs(psi([0.5, 0.5, 0], [0.5, 0.4, 0.1]) - 0.7124) < 1e-5);
  assert.equal(psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 0);
  assert.throws(() => psi([0.5, 0.5], [1]), /2 expected bins, 1 actual/);
});

test('BinAccumulator over a stream gives what psiOf gives over the whole list (across its flushes)', () => {
  const training = Array.from({ length: 1000 }, (_, i) => i % 97);
  const profile = numericProfile(Float64Array.from(training));
  const live: Array<number | null> = Array.from({ length: 10_000 }, (_, i) => (i % 13 === 0 ? null : (i * 7) % 130));
  const acc = new BinAccumulator(profile);
  for (const v of live) acc.add(v);
  assert.deepEqual(acc.result(), psiOf(profile, live));
  assert.ok(acc.result().psi > 0.25, 'values beyond the training range drift');
});
