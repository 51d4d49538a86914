import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../learn/eval/seeded-random.js';
import {
  MISSING,
  binNumeric,
  codeCategories,
  entropy,
  mutualInformation,
  outOfFoldRateAuc,
  rankAuc,
} from './association-metrics.js';
import { associate, codeTarget } from './feature-association.js';

const close = (a: number, b: number, eps: number, what: string) =>
  assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} vs ${b}`);

test('mutual information: a copy carries all of the entropy, an independent variable none', () => {
  const rng = seededRandom(1);
  const y = Int32Array.from({ length: 20000 }, () => rng.int(2));
  close(entropy(y), 1, 0.001, 'a fair coin has 1 bit');
  close(mutualInformation(y, y), entropy(y), 1e-12, 'MI(y, y) = H(y)');
  const noise = Int32Array.from({ length: 20000 }, () => rng.int(4));
  assert.ok(mutualInformation(noise, y) < 0.001, 'independent variables share (almost) nothing');
  // y = x with 10% flips: MI = 1 - H(0.1) = 0.531 bits.
  const flipped = Int32Array.from(y, (v) => (rng.next() < 0.1 ? 1 - v : v));
  close(mutualInformation(flipped, y), 1 - (-(0.1 * Math.log2(0.1)) - 0.9 * Math.log2(0.9)), 0.02, 'a noisy copy');
});

test('numbers bin into equal-count bins with missing as its own level; rare categories pool', () => {
  const values = Float64Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? NaN : i));
  const codes = binNumeric(values, 10);
  assert.equal(codes.filter((c) => c === MISSING).length, 100);
  const perBin = new Map<number, number>();
  for (const c of codes) if (c !== MISSING) perBin.set(c, (perBin.get(c) ?? 0) + 1);
  assert.equal(perBin.size, 10);
  for (const n of perBin.values()) assert.ok(n === 90, `equal-count bins: ${[...perBin.values()]}`);
  const { codes: cats, levels } = codeCategories(['a', 'a', 'a', 'a', 'a', 'b', null, 'c', 'c', 'c', 'c', 'c'], 5);
  assert.deepEqual(levels, ['a', 'c']);
  assert.deepEqual([...cats], [0, 0, 0, 0, 0, 2, MISSING, 1, 1, 1, 1, 1]);
});

test('rank AUC is oriented and matches a brute-force pair count', () => {
  const rng = seededRandom(3);
  const n = 600;
  const positive = Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
  const x = Float64Array.from(positive, (p) => rng.normal() - p * 0.8);
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (positive[i] && !positive[j]) {
        pairs++;
        wins += x[i]! < x[j]! ? 1 : x[i] === x[j] ? 0.5 : 0;
      }
  const r = rankAuc(x, positive)!;
  assert.equal(r.direction, 'lower');
  close(r.auc, wins / pairs, 1e-9, 'oriented AUC');
  assert.ok(r.auc > 0.65 && r.auc < 0.8, `a shift of 0.8 sd gives AUC ≈ 0.71: ${r.auc}`);
});

test('out-of-fold target rates: a unique id gets AUC 0.5, a category that is the target gets 1', () => {
  const rng = seededRandom(5);
  const n = 3000;
  const positive = Uint8Array.from({ length: n }, () => (rng.next() < 0.2 ? 1 : 0));
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  assert.equal(outOfFoldRateAuc(ids, positive), 0.5, 'every level unseen out of fold scores the same');
  const leak = Int32Array.from(positive, (p) => (p ? 1 + rng.int(4) : MISSING));
  assert.equal(outOfFoldRateAuc(leak, positive), 1);
  const weak = Int32Array.from(positive, (p) => (rng.next() < (p ? 0.6 : 0.4) ? 1 : 0));
  const a = outOfFoldRateAuc(weak, positive)!;
  assert.ok(a > 0.55 && a < 0.65, `a weak binary feature: ${a}`);
});

test('associate: a text id memorises nothing, a planted leak is perfect, a regression target uses MI', () => {
  const rng = seededRandom(9);
  const n = 2000;
  const y = Array.from({ length: n }, () => (rng.next() < 0.25 ? 'yes' : 'no'));
  const target = codeTarget('binary', y, 'yes');
  const name = (feature: string, kind: 'numeric' | 'categorical') => ({ feature, table: 't', column: feature, kind });
  const id = associate(
    name('email', 'categorical'),
    { type: 'categorical', values: y.map((_, i) => `user${i}@x`) },
    target,
  );
  assert.equal(id.auc, 0.5);
  assert.equal(id.normalizedMi, 0);
  const leak = associate(
    name('reason', 'categorical'),
    { type: 'categorical', values: y.map((v, i) => (v === 'yes' ? ['price', 'support'][i % 2]! : null)) },
    target,
  );
  assert.equal(leak.auc, 1);
  assert.equal(leak.normalizedMi, 1);
  close(leak.missingShare, y.filter((v) => v === 'no').length / n, 1e-4, 'missing share');
  const amount = Array.from({ length: n }, () => rng.normal() * 10 + 50);
  const reg = codeTarget(
    'regression',
    amount.map((a) => String(a * 2 + rng.normal())),
    null,
  );
  const strong = associate(name('amount', 'numeric'), { type: 'numeric', values: Float64Array.from(amount) }, reg);
  assert.equal(strong.auc, null);
  assert.ok(strong.normalizedMi > 0.5, `a near-copy of a regression target: ${strong.normalizedMi}`);
  const unrelated = associate(
    name('noise', 'numeric'),
    { type: 'numeric', values: Float64Array.from({ length: n }, () => rng.normal()) },
    reg,
  );
  assert.ok(unrelated.normalizedMi < 0.03, `noise: ${unrelated.normalizedMi}`);
});
