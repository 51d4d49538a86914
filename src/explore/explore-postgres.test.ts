import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openPostgresEngine } from '../engine/postgres/postgres-engine.js';
import { postgresTestUrl, POSTGRES_SKIP_REASON } from '../testing/postgres-url.js';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathomOk } from '../testing/run-cli.js';
import type { Catalog } from '../catalog/catalog.js';

const url = postgresTestUrl();

test(
  'explore pushes profiling to Postgres and relates its tables to a CSV source',
  { ...(url === undefined ? { skip: POSTGRES_SKIP_REASON } : {}) },
  async () => {
    const schema = `fathom_explore_${randomBytes(4).toString('hex')}`;
    const pg = await openPostgresEngine({ url: url! });
    try {
      await pg.exec(`CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.accounts (account_id int, "Contact Email" text, tier text);
      INSERT INTO ${schema}.accounts SELECT g, 'user' || g || '@corp.example', (ARRAY['gold','silver','bronze'])[1 + g % 3] FROM generate_series(1, 300) g;
      CREATE TABLE ${schema}.invoices (invoice_id int, account_id int, amount numeric(10,2), issued_at timestamptz);
      INSERT INTO ${schema}.invoices SELECT 1000 + g, CASE WHEN g % 50 = 0 THEN 9000 + g ELSE 1 + g % 300 END, (g % 97) * 1.5, timestamptz '2024-01-01' + g * interval '1 hour' FROM generate_series(1, 2000) g;`);
      await withTempDir('explore-pg', async (dir) => {
        const lines = Array.from({ length: 500 }, (_, i) => `${i + 1},${1001 + ((i * 7) % 2000)},${(i % 5) + 1}`);
        await writeFile(join(dir, 'payments.csv'), `payment_id,invoice_id,installment\n${lines.join('\n')}\n`);
        const run = (args: string[]) => runFathomOk(args, { cwd: dir });
        await run(['init']);
        await run(['connect', 'billing', url!, '--schema', schema]);
        await run(['connect', 'files', 'payments.csv']);
        await run(['explore', '-q']);
        const catalog = (await run(['catalog', '--json'])).json() as Catalog;
        const bare = (name: string) => name.replace(`${schema}.`, '');
        const keys = Object.fromEntries(
          catalog.tables.map((t) => [bare(t.name), t.primaryKey?.columns.join('+') ?? null]),
        );
        assert.deepEqual(keys, { accounts: 'account_id', invoices: 'invoice_id', payments: 'payment_id' });
        const rels = catalog.relationships
          .map(
            (r) =>
              `${r.fromSource}.${bare(r.from.table)}.${r.from.columns.join('+')}->${r.toSource}.${bare(r.to.table)}.${r.to.columns.join('+')}`,
          )
          .sort();
        assert.deepEqual(rels, [
          'billing.invoices.account_id->billing.accounts.account_id',
          'files.payments.invoice_id->billing.invoices.invoice_id',
        ]);
        const orphans = catalog.relationships.find((r) => bare(r.from.table) === 'invoices')!;
        assert.equal(orphans.orphanRows, 40);
        assert.equal(orphans.coverage, 0.98);
        const invoices = catalog.tables.find((t) => bare(t.name) === 'invoices')!;
        assert.equal(invoices.timeIndex?.column, 'issued_at');
        const amount = invoices.columns.find((c) => c.name === 'amount')!;
        assert.equal(amount.semanticType, 'numeric');
        assert.ok(
          amount.stats.histogram && amount.stats.histogram.length > 1,
          'numeric histogram from the Postgres sample',
        );
        const email = catalog.tables
          .find((t) => bare(t.name) === 'accounts')!
          .columns.find((c) => c.name === 'Contact Email')!;
        assert.equal(email.pii, 'email');
        assert.ok(!JSON.stringify(catalog).includes('@corp.example'), 'raw emails never reach the catalog');
        assert.ok(
          !catalog.sources.some((s) => /:[^/@]*@/.test(s.location.replace(/^postgres(ql)?:\/\//, ''))),
          'no password in locations',
        );
      });
    } finally {
      await pg.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pg.close();
    }
  },
);
