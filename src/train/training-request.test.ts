import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFathomOk } from '../testing/run-cli.js';
import { withTempDir } from '../testing/temp-dir.js';
import { repoPath } from '../testing/repo-path.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { FathomError } from '../util/fathom-error.js';
import { parseTarget, resolveTrainingRequest, type TrainingGiven } from './training-request.js';

const badInput = (message: RegExp) => (e: unknown) =>
  e instanceof FathomError && e.exitCode === 2 && message.test(e.message) && e.hint !== undefined;

test('parseTarget reads TABLE.COLUMN, splitting at the first dot, and names the fix otherwise', () => {
  assert.deepEqual(parseTarget('customers.churned'), { table: 'customers', column: 'churned' });
  assert.deepEqual(parseTarget('a.b.c'), { table: 'a', column: 'b.c' });
  for (const bad of ['churned', '.churned', 'customers.'])
    assert.throws(() => parseTarget(bad), badInput(/--target must be TABLE\.COLUMN/));
  assert.throws(() => parseTarget(undefined), badInput(/needs a target: --target TABLE\.COLUMN/));
});

test("resolveTrainingRequest: review's target and its table's time index, unless given", async () => {
  await withTempDir('training-request', async (dir) => {
    const env = { FATHOM_USER: 'tester' };
    const fathom = (...args: string[]) => runFathomOk(args, { cwd: dir, env });
    await fathom('explore', repoPath('examples', 'shop'), '-q');
    const ws = await openWorkspace(dir, { env });
    try {
      const given: TrainingGiven = { seed: 1, folds: 3, timeBudgetMs: null, budgetUnits: 1000 };
      await assert.rejects(resolveTrainingRequest(ws, given), badInput(/needs a target/));

      await fathom('tag', 'customers.churned', '--target', '-q');
      const reviewed = await resolveTrainingRequest(ws, given);
      assert.deepEqual(reviewed, {
        request: { ...given, table: 'customers', column: 'churned', source: 'shop' },
        targetFrom: 'review',
        timeColumnFrom: null,
      });

      await fathom('tag', 'customers.signed_up_at', '--time-index', '-q');
      const timed = await resolveTrainingRequest(ws, given);
      assert.equal(timed.request.timeColumn, 'signed_up_at');
      assert.equal(timed.timeColumnFrom, 'review');
      const own = await resolveTrainingRequest(ws, { ...given, timeColumn: 'age' });
      assert.equal(own.request.timeColumn, 'age');
      assert.equal(own.timeColumnFrom, 'given');

      // A target named uses only what is given: the time index confirmed belongs to review's target.
      const named = await resolveTrainingRequest(ws, { ...given, target: 'customers.plan' });
      assert.deepEqual(named, {
        request: { ...given, table: 'customers', column: 'plan' },
        targetFrom: 'given',
        timeColumnFrom: null,
      });
    } finally {
      await ws.close();
    }
  });
});
