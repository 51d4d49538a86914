import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../eval/seeded-random.js';
import { flow2 } from './flow2.js';
import { runSearch, type EvaluatedTrial, type TrialConfig } from './run-search.js';
import { linearLearner, gbdtLearner } from './learners.js';

test('FLOW2 climbs to the optimum of a smooth function from a corner', () => {
  const target = [0.7, 0.3, 0.55];
  const f = (p: Float64Array) => -p.reduce((s, v, i) => s + (v - target[i]!) ** 2, 0);
  const search = flow2(new Float64Array(3), seededRandom(1));
  for (let i = 0; i < 300; i++) search.report(f(search.propose()));
  assert.ok(search.best!.score > -1e-3, `best ${search.best!.score}`);
});

/** A deterministic stand-in objective: the score depends on the configuration only. */
function objective(config: TrialConfig): EvaluatedTrial {
  const p = config.params;
  const score =
    config.family === 'gbdt'
      ? -Math.abs(Math.log(p.numRounds! / 150)) - Math.abs(Math.log(p.numLeaves! / 20))
      : -2 - p.l1Ratio!;
  const units = config.family === 'gbdt' ? p.numRounds! * p.numLeaves! : 100;
  return {
    status: 'ok',
    id: JSON.stringify(config),
    metricValue: score,
    score,
    foldScores: [score],
    units,
    ms: 0,
    reused: false,
    oof: Float64Array.of(score),
  };
}

test('the search runs the portfolio first, then searches, stops on the unit budget, and is deterministic', async () => {
  const run = () =>
    runSearch({
      learners: [linearLearner, gbdtLearner],
      seed: 4,
      deadline: null,
      budgetUnits: 400_000,
      evaluate: async (c) => objective(c),
    });
  const a = await run();
  const portfolio = linearLearner.portfolio.length + gbdtLearner.portfolio.length;
  assert.ok(a.leaderboard.slice(0, portfolio).every((e) => e.origin === 'portfolio'));
  assert.equal(a.leaderboard[0]!.family, 'linear', 'cheapest first');
  assert.ok(a.leaderboard.length > portfolio, 'FLOW2 proposals follow the portfolio');
  assert.ok(
    a.unitsUsed >= 400_000 && a.unitsUsed - a.leaderboard.at(-1)!.units < 400_000,
    'stops on the first trial that reaches the budget',
  );
  const best = a.top[0]!.entry;
  assert.equal(best.family, 'gbdt');
  assert.ok(
    best.score > a.leaderboard.slice(0, portfolio).reduce((m, e) => Math.max(m, e.score), -Infinity),
    'the search improved on the portfolio',
  );
  const b = await run();
  assert.deepEqual(b.leaderboard, a.leaderboard);
});

test('a deadline in the past runs nothing', async () => {
  const out = await runSearch({
    learners: [linearLearner],
    seed: 1,
    deadline: Date.now() - 1,
    budgetUnits: null,
    evaluate: async (c) => objective(c),
  });
  assert.equal(out.leaderboard.length, 0);
});
