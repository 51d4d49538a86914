import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteLedger } from './sqlite/sqlite-ledger-store.js';
import { workspaceStatus } from './workspace-status.js';
import type { LedgerStore } from './ledger-store.js';

test('status asks the store only O(1) questions: the head, a bounded newest page, the sources', async () => {
  const ledger = await openSqliteLedger(':memory:');
  try {
    for (let i = 0; i < 30; i++)
      await ledger.append({
        kind: 'k',
        status: 'recorded',
        workerId: 'w',
        patches: [{ collection: 'tables', key: `t${i}`, value: i }],
      });
    const calls: string[] = [];
    // Every call is recorded with its arguments; anything proportional to the log (verify,
    // an unbounded or ascending entries(), listing a large collection) would show up here.
    const spy = new Proxy(ledger, {
      get(target, name: keyof LedgerStore) {
        const member = target[name];
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) => {
          calls.push(`${String(name)}(${JSON.stringify(args)})`);
          return (member as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const status = await workspaceStatus(spy, { project: 'p', root: '/p' });
    assert.deepEqual(calls.sort(), ['entries([{"descending":true,"limit":8}])', 'head([])', 'listState(["sources"])']);
    assert.deepEqual(
      status.recent.map((e) => e.seq),
      [30, 29, 28, 27, 26, 25, 24, 23],
    );
  } finally {
    await ledger.close();
  }
});
