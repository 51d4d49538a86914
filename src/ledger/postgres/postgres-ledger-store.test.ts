import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { FathomError } from '../../util/fathom-error.js';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../../testing/postgres-url.js';
import { ledgerConformance } from '../ledger-conformance.js';
import { workQueueConformance } from '../work-queue-conformance.js';
import { openPostgresLedger } from './postgres-ledger-store.js';
import { postgresTamper } from './postgres-tamper.fixture.js';
import { tempPostgresLedger } from './postgres-test-ledger.fixture.js';

const url = postgresTestUrl();

if (url === undefined) {
  describe('postgres ledger store', () => {
    it('runs against a real server', { skip: POSTGRES_SKIP_REASON }, () => undefined);
  });
} else {
  ledgerConformance('postgres', () => tempPostgresLedger(url), postgresTamper);
  workQueueConformance('postgres', () => tempPostgresLedger(url));

  describe('postgres ledger store', () => {
    it('refuses to update or delete log rows', async () => {
      const fx = await tempPostgresLedger(url);
      try {
        await fx.store.append({ kind: 'k', status: 'recorded', workerId: 'w' });
        const client = new pg.Client({ connectionString: url, options: `-c search_path=${fx.location.schema}` });
        await client.connect();
        try {
          await assert.rejects(client.query('UPDATE log SET kind = $1', ['x']), /append-only/);
          await assert.rejects(client.query('DELETE FROM log'), /append-only/);
        } finally {
          await client.end();
        }
      } finally {
        await fx.cleanup();
      }
    });

    it('names the server, never the password, when it cannot connect', async () => {
      const bad = 'postgres://nobody:s3cret-pw@127.0.0.1:1/none';
      await assert.rejects(
        openPostgresLedger({ url: bad }),
        (e: unknown) =>
          e instanceof FathomError && e.message.includes('127.0.0.1:1') && !e.message.includes('s3cret-pw'),
      );
    });

    it('rejects a schema name that is not a plain identifier', async () => {
      await assert.rejects(
        openPostgresLedger({ url, schema: 'x; DROP TABLE log' }),
        (e: unknown) => e instanceof FathomError && e.kind === 'bad_input',
      );
    });

    it('keeps one valid chain when 4 stores append concurrently (head lock)', async () => {
      const fx = await tempPostgresLedger(url);
      const others = await Promise.all([1, 2, 3].map(() => fx.reopen()));
      try {
        const stores = [fx.store, ...others];
        await Promise.all(
          stores.map(async (s, w) => {
            for (let i = 0; i < 40; i++) {
              await s.append({
                kind: 'test.concurrent',
                status: 'recorded',
                workerId: `w${w}`,
                params: { i },
                patches: [{ collection: 'shared', key: 'last', value: { w, i } }],
              });
            }
          }),
        );
        const report = await fx.store.verify();
        assert.deepEqual([report.ok, report.entries], [true, 160], JSON.stringify(report));
        const log = await fx.store.entries({ limit: 200 });
        const switches = log.filter((e, i) => i > 0 && e.workerId !== log[i - 1]?.workerId).length;
        assert.ok(
          switches >= 10,
          `only ${switches} switches between writers: the test proved nothing about contention`,
        );
      } finally {
        for (const o of others) await o.close();
        await fx.cleanup();
      }
    });
  });
}
