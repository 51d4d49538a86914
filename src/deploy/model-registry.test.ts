import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTempDir } from '../testing/temp-dir.js';
import { initWorkspace } from '../workspace/init-workspace.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import type { ModelCard } from '../train/model-card.js';
import { FathomError } from '../util/fathom-error.js';
import {
  listModelVersions,
  promoteModel,
  readModelCard,
  registerModel,
  resolveModelVersion,
} from './model-registry.js';

/** The parts of a card the registry reads; the rest does not matter to it. */
function card(model: string, auc: number): ModelCard {
  return {
    name: 'customers.churned',
    model,
    profile: `profile-of-${model}`,
    createdAt: '2026-01-01T00:00:00Z',
    data: {
      source: 'shop',
      table: 'customers',
      fingerprint: `data-${model}`,
      rows: 100,
      rowsDropped: 0,
      metadataVersion: 3,
    },
    target: { column: 'churned', task: 'binary', classes: ['false', 'true'] },
    metric: 'auc',
    metrics: { auc: { mean: auc, std: 0.01 } },
  } as unknown as ModelCard;
}

test('registry: versions, references, stages, the production approval gate, all in the ledger', async () => {
  await withTempDir('registry', async (dir) => {
    await initWorkspace(dir);
    const ws = await openWorkspace(dir);
    try {
      const v1 = await registerModel(ws, card('m1', 0.8), 'ann');
      assert.deepEqual([v1.version.version, v1.version.stage, v1.existing], [1, 'candidate', false]);
      const again = await registerModel(ws, card('m1', 0.8), 'ann');
      assert.deepEqual(
        [again.existing, again.seq],
        [true, null],
        'the same model and card: the same version, nothing recorded',
      );
      const recarded = await registerModel(ws, { ...card('m1', 0.8), profile: 'newer-profile' } as ModelCard, 'ann');
      assert.deepEqual(
        [recarded.existing, recarded.version.version, recarded.version.profile],
        [true, 1, 'newer-profile'],
        'the same model with a new card keeps its version and takes the card',
      );
      assert.notEqual(recarded.seq, null);
      assert.equal((await readModelCard(ws, recarded.version)).profile, 'newer-profile');
      const v2 = await registerModel(ws, card('m2', 0.85), 'bob');
      assert.equal(v2.version.version, 2);
      assert.equal((await readModelCard(ws, v2.version)).model, 'm2');
      assert.equal(v2.version.profile, 'profile-of-m2');

      // No production version yet: the bare name is the latest.
      assert.equal((await resolveModelVersion(ws, 'customers.churned')).version, 2);
      assert.equal((await resolveModelVersion(ws, 'customers.churned@1')).version, 1);

      await assert.rejects(
        promoteModel(ws, 'customers.churned@1', 'production', { by: 'ann', approved: false }),
        (e: unknown) => e instanceof FathomError && /needs approval/.test(e.message) && /--yes/.test(e.hint ?? ''),
      );
      assert.equal(
        (await resolveModelVersion(ws, 'customers.churned@1')).stage,
        'candidate',
        'a refused promotion changes nothing',
      );

      const p1 = await promoteModel(ws, 'customers.churned@1', 'production', { by: 'ann', approved: true });
      assert.deepEqual([p1.from, p1.version.stage, p1.archived.length], ['candidate', 'production', 0]);
      assert.equal(
        (await resolveModelVersion(ws, 'customers.churned')).version,
        1,
        'the bare name is the production version',
      );
      await promoteModel(ws, 'customers.churned@2', 'staging', { by: 'bob', approved: false });
      assert.equal((await resolveModelVersion(ws, 'customers.churned@staging')).version, 2);
      const p2 = await promoteModel(ws, 'customers.churned@2', 'production', { by: 'bob', approved: true });
      assert.deepEqual(
        p2.archived.map((v) => v.version),
        [1],
        'the replaced production version is archived',
      );
      assert.deepEqual(
        (await listModelVersions(ws)).map((v) => [v.version, v.stage, v.stagedBy]),
        [
          [1, 'archived', 'bob'],
          [2, 'production', 'bob'],
        ],
      );
      assert.equal(
        (await promoteModel(ws, 'customers.churned@2', 'production', { by: 'bob', approved: true })).seq,
        null,
        'already there: nothing recorded',
      );

      await assert.rejects(
        resolveModelVersion(ws, 'nope'),
        (e: unknown) => e instanceof FathomError && e.kind === 'not_found' && /customers\.churned/.test(e.hint ?? ''),
      );
      await assert.rejects(
        resolveModelVersion(ws, 'customers.churned@9'),
        (e: unknown) =>
          e instanceof FathomError &&
          /has no version 9/.test(e.message) &&
          /1 \(archived\), 2 \(production\)/.test(e.hint ?? ''),
      );
      await assert.rejects(
        resolveModelVersion(ws, 'customers.churned@x1'),
        (e: unknown) => e instanceof FathomError && e.kind === 'bad_input',
      );
      await assert.rejects(
        promoteModel(ws, 'customers.churned@2', 'live' as never, { by: 'bob', approved: true }),
        /Unknown stage "live"/,
      );

      const ledger = await ws.ledger();
      const kinds = (await ledger.entries({ limit: 1000 }))
        .filter((e) => e.kind.startsWith('deploy.'))
        .map((e) => `${e.kind}:${JSON.stringify(e.params)}`);
      assert.deepEqual(kinds, [
        'deploy.register:{"model":"m1","name":"customers.churned","version":1}',
        'deploy.register:{"model":"m1","name":"customers.churned","version":1}',
        'deploy.register:{"model":"m2","name":"customers.churned","version":2}',
        'deploy.promote:{"name":"customers.churned","stage":"production","version":1}',
        'deploy.promote:{"name":"customers.churned","stage":"staging","version":2}',
        'deploy.promote:{"name":"customers.churned","stage":"production","version":2}',
      ]);
      // The projection is rebuilt from the log alone.
      const before = await listModelVersions(ws);
      await ledger.rebuildProjections();
      assert.deepEqual(await listModelVersions(ws), before);
    } finally {
      await ws.close();
    }
  });
});
