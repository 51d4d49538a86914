import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { FathomError } from '../../util/fathom-error.js';
import { ledgerConformance } from '../ledger-conformance.js';
import { openSqliteLedger } from './sqlite-ledger-store.js';
import { sqliteTamper } from './sqlite-tamper.fixture.js';
import { workQueueConformance } from '../work-queue-conformance.js';

async function tempLedgerPath(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'fathom-ledger-'));
  return { path: join(dir, 'ledger.db'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

ledgerConformance(
  'sqlite',
  async () => {
    const { path, cleanup } = await tempLedgerPath();
    const store = await openSqliteLedger(path);
    return {
      store,
      location: path,
      reopen: () => openSqliteLedger(path),
      cleanup: async () => {
        await store.close();
        await cleanup();
      },
    };
  },
  sqliteTamper,
);

ledgerConformance(
  'sqlite :memory:',
  async () => {
    const store = await openSqliteLedger(':memory:');
    return { store, location: ':memory:', cleanup: () => store.close() };
  },
  null,
);

describe('sqlite ledger store', () => {
  it('uses WAL and refuses to update or delete log rows', async () => {
    const { path, cleanup } = await tempLedgerPath();
    const store = await openSqliteLedger(path);
    try {
      await store.append({ kind: 'k', status: 'recorded', workerId: 'w' });
      const raw = new Database(path);
      try {
        assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
        assert.throws(() => raw.prepare('UPDATE log SET kind = ?').run('x'), /append-only/);
        assert.throws(() => raw.prepare('DELETE FROM log').run(), /append-only/);
      } finally {
        raw.close();
      }
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('opens read-only: reads work, writes are refused, a missing file is not_found', async () => {
    const { path, cleanup } = await tempLedgerPath();
    try {
      await assert.rejects(
        openSqliteLedger(path, { readOnly: true }),
        (e: unknown) => e instanceof FathomError && e.kind === 'not_found',
      );
      const writer = await openSqliteLedger(path);
      await writer.append({
        kind: 'k',
        status: 'recorded',
        workerId: 'w',
        patches: [{ collection: 'c', key: 'a', value: 1 }],
      });
      const reader = await openSqliteLedger(path, { readOnly: true });
      assert.equal((await reader.head()).seq, 1);
      assert.equal((await reader.verify()).ok, true);
      await assert.rejects(reader.append({ kind: 'k', status: 'recorded', workerId: 'w' }), /read-only/);
      await assert.rejects(reader.rebuildProjections(), /read-only/);
      await reader.close();
      await writer.close();
    } finally {
      await cleanup();
    }
  });

  it('names the file when it is not a ledger', async () => {
    const { path, cleanup } = await tempLedgerPath();
    try {
      await writeFile(path, 'this is not a database, just some text that is long enough'.repeat(20));
      await assert.rejects(
        openSqliteLedger(path),
        (e: unknown) => e instanceof FathomError && e.message.includes(path) && e.kind === 'failed',
      );
    } finally {
      await cleanup();
    }
  });
});

describe('sqlite ledger store across processes', () => {
  it('keeps a valid chain when 3 processes append concurrently', async () => {
    const { path, cleanup } = await tempLedgerPath();
    const workers = 3;
    const perWorker = 100;
    try {
      await (await openSqliteLedger(path)).close();
      const script = fileURLToPath(new URL('./concurrent-appender.fixture.js', import.meta.url));
      const children = Array.from({ length: workers }, (_, w) =>
        fork(script, [path, `w${w}`, String(perWorker)], { stdio: 'inherit' }),
      );
      await Promise.all(children.map((c) => once(c, 'message')));
      for (const c of children) c.send('go');
      const codes = await Promise.all(children.map(async (c) => (await once(c, 'exit'))[0] as number));
      assert.deepEqual(codes, Array(workers).fill(0));

      const store = await openSqliteLedger(path);
      const report = await store.verify();
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.equal(report.entries, workers * perWorker);
      const log = await store.entries({ limit: workers * perWorker });
      // Each worker's entries keep their own order...
      for (let w = 0; w < workers; w++) {
        const mine = log.filter((e) => e.workerId === `w${w}`).map((e) => (e.params as { i: number }).i);
        assert.deepEqual(
          mine,
          Array.from({ length: perWorker }, (_, i) => i),
        );
      }
      // ...and the workers really interleaved, or this test proved nothing about contention.
      const switches = log.filter((e, i) => i > 0 && e.workerId !== log[i - 1]?.workerId).length;
      assert.ok(switches >= perWorker / 4, `only ${switches} switches between workers`);
      assert.deepEqual(
        (await store.listState('per-worker')).map((r) => r.value),
        Array(workers).fill(perWorker - 1),
      );
      await store.close();
    } finally {
      await cleanup();
    }
  });
});

workQueueConformance('sqlite', async () => {
  const { path, cleanup } = await tempLedgerPath();
  const store = await openSqliteLedger(path);
  return {
    store,
    reopen: () => openSqliteLedger(path),
    cleanup: async () => {
      await store.close();
      await cleanup();
    },
  };
});
