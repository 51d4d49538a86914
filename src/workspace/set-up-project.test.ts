import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { withTempDir } from '../testing/temp-dir.js';
import { setUpProject } from './set-up-project.js';

test('setUpProject creates the project and its ledger once; again, it leaves it as it is', async () => {
  await withTempDir('set-up-project', async (dir) => {
    const io = { env: {}, cwd: dir, stdin: new PassThrough() };
    const root = join(dir, 'churn');
    const made = await setUpProject(root, { name: 'churn-study', objects: 'shared-objects' }, io);
    assert.deepEqual(
      [made.root, made.created, made.headSeq, made.ledger, made.objects],
      [root, true, 0, join(root, '.fathom', 'ledger.db'), join(dir, 'shared-objects')],
    );
    assert.ok(existsSync(made.ledger), 'the metadata database exists, migrated, before any worker joins');
    const again = await setUpProject(root, {}, io);
    assert.deepEqual([again.created, again.objects], [false, join(dir, 'shared-objects')]);
  });
});
