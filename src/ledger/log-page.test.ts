import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteLedger } from './sqlite/sqlite-ledger-store.js';
import { withTempDir } from '../testing/temp-dir.js';
import { logPage } from './log-page.js';

test('logPage: newest first, forward from a cursor, filtered; next is null exactly at the end', async () => {
  await withTempDir('log-page', async (dir) => {
    const ledger = await openSqliteLedger(join(dir, 'ledger.db'));
    try {
      for (let i = 1; i <= 10; i++)
        await ledger.append({ kind: i % 2 ? 'odd' : 'even', status: 'recorded', workerId: 'w' });
      const seqs = (p: { entries: readonly { seq: number }[] }) => p.entries.map((e) => e.seq);
      const first = await logPage(ledger, { limit: 4 });
      assert.deepEqual([seqs(first), first.next], [[10, 9, 8, 7], { before: 7 }]);
      const last = await logPage(ledger, { limit: 6, before: 5 });
      assert.deepEqual([seqs(last), last.next], [[4, 3, 2, 1], null]);
      const exact = await logPage(ledger, { limit: 4, before: 5 });
      assert.deepEqual([seqs(exact), exact.next], [[4, 3, 2, 1], null], 'a page ending the log has no next');
      const forward = await logPage(ledger, { limit: 3, after: 0, kind: 'even' });
      assert.deepEqual([seqs(forward), forward.next], [[2, 4, 6], { after: 6 }]);
      const window = await logPage(ledger, { limit: 3, after: 6, before: 10, kind: 'even' });
      assert.deepEqual([seqs(window), window.next], [[8], null]);
    } finally {
      await ledger.close();
    }
  });
});
