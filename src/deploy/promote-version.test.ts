import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTempDir } from '../testing/temp-dir.js';
import { initWorkspace } from '../workspace/init-workspace.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import type { ModelCard } from '../train/model-card.js';
import { FathomError } from '../util/fathom-error.js';
import { registerModel, type ModelVersion } from './model-registry.js';
import { promoteVersion } from './promote-version.js';

/** The parts of a card the registry reads. */
const card = (model: string) =>
  ({
    name: 'customers.churned',
    model,
    createdAt: '2026-01-01T00:00:00Z',
    data: { source: 'shop', table: 'customers', fingerprint: `data-${model}`, rows: 100, rowsDropped: 0 },
    target: { column: 'churned', task: 'binary', classes: ['false', 'true'] },
    metric: 'auc',
    metrics: { auc: { mean: 0.8, std: 0.01 } },
  }) as unknown as ModelCard;

test('promoteVersion asks for approval only on the way into production, and a no stops it', async () => {
  await withTempDir('promote-version', async (dir) => {
    await initWorkspace(dir);
    const env = { FATHOM_USER: 'carol' };
    const ws = await openWorkspace(dir, { env });
    try {
      await registerModel(ws, card('m1'), 'ann');
      await registerModel(ws, card('m2'), 'ann');
      const asked: string[] = [];
      const answer = (yes: boolean) => async (v: ModelVersion) => {
        asked.push(`${v.name}@${v.version}`);
        return yes;
      };

      const staged = await promoteVersion(ws, 'customers.churned@1', 'staging', { env, approve: answer(true) });
      assert.deepEqual(
        [staged.from, staged.version.stage, staged.version.stagedBy, asked],
        ['candidate', 'staging', 'carol', []],
      );

      await assert.rejects(
        promoteVersion(ws, 'customers.churned@staging', 'production', { env, approve: answer(false) }),
        (e: unknown) => e instanceof FathomError && /needs approval/.test(e.message) && /--yes/.test(e.hint ?? ''),
      );
      assert.deepEqual(asked, ['customers.churned@1'], 'the reference was resolved before asking');

      const live = await promoteVersion(ws, 'customers.churned@1', 'production', { env, approve: answer(true) });
      assert.equal(live.version.stage, 'production');
      const next = await promoteVersion(ws, 'customers.churned@latest', 'production', { env, approve: answer(true) });
      assert.deepEqual(
        next.archived.map((v) => [v.version, v.stage]),
        [[1, 'archived']],
      );
      const again = await promoteVersion(ws, 'customers.churned@2', 'production', { env, approve: answer(false) });
      assert.equal(again.seq, null, 'already in production: nothing to ask, nothing recorded');
      assert.deepEqual(asked, ['customers.churned@1', 'customers.churned@1', 'customers.churned@2']);
    } finally {
      await ws.close();
    }
  });
});
