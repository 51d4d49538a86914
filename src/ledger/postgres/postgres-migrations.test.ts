import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../../testing/postgres-url.js';
import { repoPath } from '../../testing/repo-path.js';
import { postgresMigrations } from './postgres-ledger-pool.js';
import { dropSchema, tempPostgresLedger } from './postgres-test-ledger.fixture.js';

const url = postgresTestUrl();
const SNAPSHOT = repoPath('src', 'ledger', 'postgres', 'schema.snapshot.sql');

/** The live schema as stable text: columns, constraints, indexes and triggers per table. */
async function dumpSchema(client: pg.Client, schema: string): Promise<string> {
  const q = async (sql: string) =>
    (await client.query(sql, [schema])).rows.map((r) => Object.values(r).join(' ')).join('\n');
  const columns =
    await q(`SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') AS dflt, coalesce(is_identity, '') AS ident
    FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`);
  const constraints = await q(`SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 ORDER BY 1, 2`);
  const indexes = await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY 1, 2`);
  const triggers = await q(`SELECT event_object_table, trigger_name, event_manipulation, action_timing, action_statement
    FROM information_schema.triggers WHERE trigger_schema = $1 ORDER BY 1, 2, 3`);
  return `-- columns\n${columns}\n\n-- constraints\n${constraints}\n\n-- indexes\n${indexes}\n\n-- triggers\n${triggers}\n`.replaceAll(
    schema,
    'SCHEMA',
  );
}

describe('postgres ledger migrations', { skip: url === undefined ? POSTGRES_SKIP_REASON : false }, () => {
  it('are numbered from 1 and each can run twice (idempotent)', async () => {
    const migrations = postgresMigrations();
    assert.deepEqual(
      migrations.map((m) => `${m.version}_${m.name}`),
      ['1_init', '2_work_queue', '3_queue_stop'],
    );
    const fx = await tempPostgresLedger(url!);
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${fx.location.schema}` });
    await client.connect();
    try {
      for (const m of migrations) await client.query(m.sql);
      await fx.store.append({ kind: 'k', status: 'recorded', workerId: 'w' });
      assert.equal((await fx.store.verify()).ok, true);
    } finally {
      await client.end();
      await fx.cleanup();
    }
  });

  // STYLE 8: a schema change must show up as a reviewed diff of schema.snapshot.sql.
  // Refresh with FATHOM_UPDATE_SNAPSHOT=1 node --test dist/ledger/postgres/postgres-migrations.test.js
  it('matches the committed schema snapshot', async () => {
    const fx = await tempPostgresLedger(url!);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const live = await dumpSchema(client, fx.location.schema);
      if (process.env.FATHOM_UPDATE_SNAPSHOT === '1') writeFileSync(SNAPSHOT, live);
      assert.equal(
        live,
        readFileSync(SNAPSHOT, 'utf8'),
        `schema differs from ${SNAPSHOT}; if intended, refresh it (see comment)`,
      );
    } finally {
      await client.end();
      await fx.cleanup();
    }
  });

  it('a second opener of a fresh schema waits for the first to migrate, and both work', async () => {
    const fx = await tempPostgresLedger(url!);
    await fx.cleanup();
    const location = fx.location;
    const { openPostgresLedger } = await import('./postgres-ledger-store.js');
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresLedger(location)));
    try {
      await Promise.all(stores.map((s, i) => s.append({ kind: 'k', status: 'recorded', workerId: `w${i}` })));
      assert.equal((await stores[0]!.verify()).entries, 3);
    } finally {
      for (const s of stores) await s.close();
      await dropSchema(location);
    }
  });
});
