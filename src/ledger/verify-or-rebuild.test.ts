import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { editLedgerFile as edit } from './sqlite/sqlite-tamper.fixture.js';
import { openSqliteLedger } from './sqlite/sqlite-ledger-store.js';
import { withTempDir } from '../testing/temp-dir.js';
import { verifyOrRebuild } from './verify-or-rebuild.js';

test('verifyOrRebuild rebuilds a wrong projection over an intact chain, and only when asked', async () => {
  await withTempDir('verify-rebuild', async (dir) => {
    const file = join(dir, 'ledger.db');
    const write = await openSqliteLedger(file);
    for (let i = 1; i <= 4; i++)
      await write.append({
        kind: 'k',
        status: 'recorded',
        workerId: 'w',
        patches: [{ collection: 'c', key: `k${i}`, value: { i } }],
      });
    await write.close();
    edit(file, `DELETE FROM state WHERE key = 'k2'`);
    const ledger = await openSqliteLedger(file);
    try {
      const found = await verifyOrRebuild(ledger);
      assert.deepEqual([found.ok, found.firstProblem, found.rebuilt], [false, null, false]);
      const fixed = await verifyOrRebuild(ledger, { rebuild: true });
      assert.deepEqual([fixed.ok, fixed.rebuilt], [true, true]);
      assert.deepEqual((await ledger.getState('c', 'k2'))?.value, { i: 2 });
      assert.equal((await verifyOrRebuild(ledger, { rebuild: true })).rebuilt, false, 'nothing to rebuild');
    } finally {
      await ledger.close();
    }
    edit(
      file,
      `DELETE FROM state WHERE key = 'k2'; UPDATE log SET body = replace(body, '"i":3', '"i":5') WHERE seq = 3`,
    );
    const broken = await openSqliteLedger(file);
    try {
      const refused = await verifyOrRebuild(broken, { rebuild: true });
      assert.deepEqual([refused.ok, refused.firstProblem?.seq, refused.rebuilt], [false, 3, false]);
      assert.equal(await broken.getState('c', 'k2'), undefined, 'a broken chain is not replayed');
    } finally {
      await broken.close();
    }
  });
});
