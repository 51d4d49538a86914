import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openPostgresEngine } from '../../engine/postgres/postgres-engine.js';
import { postgresTestUrl, POSTGRES_SKIP_REASON } from '../../testing/postgres-url.js';
import { withTempDir } from '../../testing/temp-dir.js';
import { runFathomOk } from '../../testing/run-cli.js';
import { openWorkspace } from '../../workspace/open-workspace.js';
import type { Catalog } from '../../catalog/catalog.js';
import { factsFromCatalog, runRoundTwo } from './round-two-kit.fixture.js';

const url = postgresTestUrl();

test(
  'round two pushes its SQL to Postgres: leak, late date, balance, fan-out and drift',
  { ...(url === undefined ? { skip: POSTGRES_SKIP_REASON } : {}), timeout: 180_000 },
  async () => {
    const schema = `fathom_r2_${randomBytes(4).toString('hex')}`;
    const pg = await openPostgresEngine({ url: url! });
    try {
      // 2000 accounts; "closed_at" is set only for churned accounts and after opening (a late-recorded leak),
      // "tier" drifts: every account opened in the second half is gold.
      await pg.exec(`CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.accounts (account_id int, tier text, seats int, opened_at timestamptz, churned boolean, closed_at timestamptz);
      INSERT INTO ${schema}.accounts SELECT g,
        CASE WHEN g > 1000 THEN 'gold' ELSE (ARRAY['gold','silver','bronze'])[1 + g % 3] END,
        1 + (g * 7919) % 50, timestamptz '2023-01-01' + g * interval '6 hours', (g * 2654435761::bigint) % 7 = 0,
        CASE WHEN (g * 2654435761::bigint) % 7 = 0 THEN timestamptz '2023-01-01' + g * interval '6 hours' + interval '40 days' END
      FROM generate_series(1, 2000) g;
      CREATE TABLE ${schema}.invoices (invoice_id int, account_id int, amount numeric(10,2), issued_at timestamptz);
      INSERT INTO ${schema}.invoices SELECT 1000 + g, CASE WHEN g % 250 = 0 THEN 90000 + g ELSE 1 + (g * 31) % 1900 END, (g % 97) * 1.5, timestamptz '2023-01-01' + g * interval '1 hour' FROM generate_series(1, 8000) g;`);
      await withTempDir('round-two-pg', async (dir) => {
        const run = (args: string[]) => runFathomOk(args, { cwd: dir });
        await run(['init']);
        await run(['connect', 'billing', url!, '--schema', schema]);
        await run(['explore', '-q']);
        const catalog = (await run(['catalog', '--json'])).json() as Catalog;
        const accounts = catalog.tables.find((t) => t.name.endsWith('accounts'))!.name;
        const invoices = catalog.tables.find((t) => t.name.endsWith('invoices'))!.name;
        const ws = await openWorkspace(dir);
        try {
          const facts = factsFromCatalog(
            catalog,
            { table: accounts, column: 'churned', kind: 'binary' },
            {
              timeIndexes: [
                { source: 'billing', table: accounts, column: 'opened_at' },
                { source: 'billing', table: invoices, column: 'issued_at' },
              ],
            },
          );
          const { result: r } = await runRoundTwo(ws, facts);
          const suspects = Object.fromEntries(r.leakage.map((l) => [l.column, l.reason]));
          assert.equal(suspects['closed_at'], 'recorded_after_target_time', JSON.stringify(r.leakage));
          assert.equal(suspects['seats'], undefined);
          assert.equal(suspects['tier'], undefined);
          const closed = r.alerts.filter((a) => a.column === 'closed_at');
          assert.equal(closed.length, 1, 'one alert per column, whatever the number of reasons');
          assert.match(closed[0]!.alert.detail, /recorded after the target time/);

          const balance = (
            await pg.query(`SELECT churned::text AS v, COUNT(*) AS n FROM ${schema}.accounts GROUP BY 1`)
          ).rows;
          assert.deepEqual(
            Object.fromEntries(r.targetSummary.classes!.map((c) => [c.value, c.count])),
            Object.fromEntries(balance.map((b) => [String(b.v), Number(b.n)])),
          );
          const fan = (
            await pg.query(`WITH c AS (SELECT account_id, COUNT(*) AS n FROM ${schema}.invoices GROUP BY 1)
            SELECT COUNT(*) AS parents, MAX(c.n) AS mx, SUM(CASE WHEN c.n IS NULL THEN 1 ELSE 0 END) AS childless,
              (SELECT COUNT(*) FROM ${schema}.invoices i WHERE NOT EXISTS (SELECT 1 FROM ${schema}.accounts a WHERE a.account_id = i.account_id)) AS orphans
            FROM ${schema}.accounts p LEFT JOIN c ON c.account_id = p.account_id`)
          ).rows[0]!;
          const rel = r.relationships.find((x) => x.from.table === invoices)!;
          assert.deepEqual(
            [rel.fanOut!.parents, rel.fanOut!.max, rel.fanOut!.childless, rel.orphanRows],
            [Number(fan.parents), Number(fan.mx), Number(fan.childless), Number(fan.orphans)],
          );
          assert.ok(rel.aggregates.some((a) => a.feature.startsWith('mean(') && a.feature.endsWith('.amount)')));

          const drift = r.drift.find((d) => d.table === accounts)!;
          const flagged = Object.fromEntries(drift.columns.map((c) => [c.column, c.flagged]));
          assert.equal(flagged['tier'], true);
          assert.equal(flagged['seats'], false);
          assert.ok(r.drift.some((d) => d.table === invoices));
        } finally {
          await ws.close();
        }
      });
    } finally {
      await pg.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pg.close();
    }
  },
);
