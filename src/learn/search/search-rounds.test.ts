import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../eval/seeded-random.js';
import { flow2 } from './flow2.js';
import { configKey, searchRounds, type TrialConfig, type TrialResult } from './search-rounds.js';
import { gbdtLearner, linearLearner } from './learners.js';

test('FLOW2 in batches climbs to the optimum of a smooth function from a corner', () => {
  const target = [0.7, 0.3, 0.55];
  const f = (p: Float64Array) => -p.reduce((s, v, i) => s + (v - target[i]!) ** 2, 0);
  const search = flow2(new Float64Array(3), seededRandom(1));
  for (let i = 0; i < 150; i++) search.report(search.propose(2).map(f));
  assert.ok(search.best!.score > -1e-3, `best ${search.best!.score}`);
});

/** A deterministic stand-in objective: the score depends on the configuration only. */
function objective(config: TrialConfig): TrialResult {
  const p = config.params;
  const score =
    config.family === 'gbdt'
      ? -Math.abs(Math.log(p.numRounds! / 150)) - Math.abs(Math.log(p.numLeaves! / 20))
      : -2 - p.l1Ratio!;
  return { status: 'ok', score, units: config.family === 'gbdt' ? p.numRounds! * p.numLeaves! : 100 };
}

/** Run the search to the end the way the planner does: each round's pending trials, in the given order. */
function drive(order: (pending: readonly TrialConfig[]) => TrialConfig[], budgetUnits = 400_000) {
  const results = new Map<string, TrialResult>();
  const opts = { learners: [linearLearner, gbdtLearner], seed: 4, budgetUnits };
  const rounds: string[][] = [];
  for (;;) {
    const s = searchRounds(opts, (c) => results.get(configKey(c)));
    if (s.done) return { final: s, rounds };
    rounds.push(s.pending.map(configKey));
    for (const c of order(s.pending)) results.set(configKey(c), objective(c));
  }
}

test('rounds: the portfolio first, then FLOW2 batches; stops between rounds on the unit budget', () => {
  const { final, rounds } = drive((p) => [...p]);
  const portfolio = linearLearner.portfolio.length + gbdtLearner.portfolio.length;
  assert.equal(rounds[0]!.length, portfolio, 'round 1 is the whole portfolio');
  assert.ok(final.trials.slice(0, portfolio).every((t) => t.config.origin === 'portfolio'));
  assert.equal(final.trials[0]!.config.family, 'linear', 'cheapest first');
  assert.ok(rounds.length > 3 && rounds.slice(1).every((r) => r.length >= 2 && r.length <= 7), `${rounds.length}`);
  assert.ok(final.unitsUsed >= 400_000, `used ${final.unitsUsed}`);
  const last = new Set(rounds.at(-1));
  const lastUnits = final.trials.filter((t) => last.has(configKey(t.config))).reduce((s, t) => s + t.result!.units, 0);
  assert.ok(final.unitsUsed - lastUnits < 400_000, 'the last round started under the budget');
  assert.equal(
    final.unitsUsed,
    final.trials.reduce((s, t) => s + t.result!.units, 0),
    'every trial that ran counts',
  );
  const best = Math.max(...final.trials.map((t) => t.result!.score));
  const portfolioBest = Math.max(...final.trials.slice(0, portfolio).map((t) => t.result!.score));
  assert.ok(best > portfolioBest, `the search improved on the portfolio (${best} > ${portfolioBest})`);
  assert.ok(final.trials.every((t) => t.result !== undefined) && final.pending.length === 0);
});

test('the order in which a round finishes does not change the search', () => {
  const inOrder = drive((p) => [...p]).final.trials.map((t) => configKey(t.config));
  const reversed = drive((p) => [...p].reverse()).final.trials.map((t) => configKey(t.config));
  assert.deepEqual(reversed, inOrder);
});

test('a round waits for every result of the one before, and stop starts no new round', () => {
  const opts = { learners: [linearLearner, gbdtLearner], seed: 1, budgetUnits: null };
  const results = new Map<string, TrialResult>();
  const first = searchRounds(opts, () => undefined);
  assert.deepEqual([first.rounds, first.done, first.pending.length], [1, false, 6]);
  // Half the portfolio done: still the same round pending, nothing new proposed.
  for (const c of first.pending.slice(0, 3)) results.set(configKey(c), objective(c));
  const half = searchRounds(opts, (c) => results.get(configKey(c)));
  assert.deepEqual([half.rounds, half.pending.map(configKey)], [1, first.pending.slice(3).map(configKey)]);
  for (const c of first.pending.slice(3)) results.set(configKey(c), { status: 'stopped', score: NaN, units: 0 });
  const stopped = searchRounds(opts, (c) => results.get(configKey(c)), true);
  assert.deepEqual([stopped.done, stopped.trials.length], [true, 6]);
  // Replayed later, out of time: every round that ran is still part of it, and no new one starts.
  const next = searchRounds(opts, (c) => results.get(configKey(c)), false);
  for (const c of next.pending) results.set(configKey(c), objective(c));
  const closed = searchRounds(opts, (c) => results.get(configKey(c)), true);
  assert.deepEqual([closed.done, closed.trials.length, closed.rounds], [true, 6 + next.pending.length, 2]);
  const goesOn = searchRounds(opts, (c) => results.get(configKey(c)), false);
  assert.equal(goesOn.done, false, 'without stop, a budget of null searches on');
  assert.equal(goesOn.rounds, 3, 'the next round after the two that ran');
});

test('maxTrials stops proposing: trials past it are never made, even inside the first round', () => {
  const opts = { learners: [gbdtLearner], seed: 1, budgetUnits: null, maxTrials: 1 };
  const first = searchRounds(opts, () => undefined);
  assert.equal(first.pending.length, 1, 'one trial proposed, not the whole portfolio');
  const results = new Map([[configKey(first.pending[0]!), objective(first.pending[0]!)]]);
  const done = searchRounds(opts, (c) => results.get(configKey(c)));
  assert.deepEqual([done.done, done.trials.length], [true, 1]);
});
