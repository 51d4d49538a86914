import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelledDataset } from '../dataset.js';
import { seededRandom } from '../eval/seeded-random.js';
import { stratifiedKFold } from '../eval/splits.js';
import { createTrialPool, shareDataset, shareFolds } from './trial-pool.js';

function data(n: number): LabelledDataset {
  const rng = seededRandom(2);
  const features = Array.from({ length: 6 }, (_, j) => ({
    name: `num${j}`,
    kind: 'numeric' as const,
    values: Float64Array.from({ length: n }, () => rng.normal()),
  }));
  const target = Float64Array.from({ length: n }, (_, i) => (features[0]!.values[i]! + rng.normal() > 0 ? 1 : 0));
  return shareDataset({ rows: n, features, task: { kind: 'binary', classes: ['0', '1'] }, target, targetName: 'y' });
}

test('a trial worker is terminated at its stop time, and the pool carries on with a fresh one', async () => {
  const d = data(20_000);
  const folds = shareFolds(stratifiedKFold(d.target, 5, 0));
  const pool = createTrialPool({ prewarm: true });
  try {
    // 2000 rounds × 5 folds of 16,000 rows takes far longer than 300 ms on any machine.
    const slow = await pool.run(
      {
        data: d,
        folds,
        family: 'gbdt',
        params: {
          numRounds: 2000,
          numLeaves: 63,
          learningRate: 0.01,
          minDataInLeaf: 5,
          featureFraction: 1,
          lambdaL2: 0.001,
        },
        metric: 'auc',
        threads: 1,
        seed: 0,
      },
      Date.now() + 300,
    );
    assert.equal(slow.status, 'stopped');
    const bad = await pool.run(
      { data: d, folds, family: 'gbdt', params: { numRounds: -3 }, metric: 'auc', threads: 1, seed: 0 },
      null,
    );
    assert.equal(bad.status, 'failed');
    assert.match((bad as { error: string }).error, /numRounds/);
    const ok = await pool.run(
      { data: d, folds, family: 'linear', params: { lambda: 0.01, l1Ratio: 0 }, metric: 'auc', threads: 1, seed: 0 },
      null,
    );
    assert.equal(ok.status, 'ok');
    const r = (ok as { result: { foldScores: number[]; oof: Float64Array } }).result;
    assert.equal(r.foldScores.length, 5);
    assert.ok(
      r.foldScores.every((s) => s > 0.65),
      `fold AUCs ${r.foldScores}`,
    );
    assert.ok(
      r.oof.every((p) => p > 0 && p < 1),
      'every row gets an out-of-fold prediction',
    );
  } finally {
    await pool.close();
  }
});
