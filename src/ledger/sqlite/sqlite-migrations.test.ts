import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { FathomError } from '../../util/fathom-error.js';
import { applyMigrations, defaultMigrationsDir, loadMigrations, resolveMigrationsDir } from './sqlite-migrations.js';
import { openSqliteLedger } from './sqlite-ledger-store.js';

const root = join(tmpdir(), 'proj');
const moduleIn = (...parts: string[]): string => pathToFileURL(join(root, ...parts, 'sqlite-migrations.js')).href;

/** The live schema as SQL text, in a stable order, for comparison with the snapshot. */
function dumpSchema(db: Database.Database): string {
  const rows = db
    .prepare(
      "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name",
    )
    .all() as Array<{ sql: string }>;
  return `${rows.map((r) => `${r.sql};`).join('\n\n')}\n`;
}

describe('sqlite migrations', () => {
  it('finds the .sql files from dist/ under src/, and prefers a folder beside the module', () => {
    const exists = (known: string[]) => (p: string) => known.includes(p);
    const src = join(root, 'src', 'ledger', 'sqlite', 'migrations');
    const dist = join(root, 'dist', 'ledger', 'sqlite', 'migrations');
    const fromDist = moduleIn('dist', 'ledger', 'sqlite');
    assert.equal(resolveMigrationsDir(fromDist, exists([join(src, '0001_init.sql')])), src);
    assert.equal(
      resolveMigrationsDir(fromDist, exists([join(src, '0001_init.sql'), join(dist, '0001_init.sql')])),
      dist,
    );
    assert.equal(resolveMigrationsDir(moduleIn('src', 'ledger', 'sqlite'), exists([join(src, '0001_init.sql')])), src);
    assert.throws(
      () => resolveMigrationsDir(fromDist, exists([])),
      (e: unknown) => e instanceof FathomError && e.message.includes(src) && e.message.includes(dist),
    );
  });

  it('resolves to the real migrations of this build, numbered from 1', () => {
    const dir = defaultMigrationsDir();
    assert.ok(existsSync(join(dir, '0001_init.sql')), dir);
    assert.deepEqual(
      loadMigrations(dir).map((m) => `${m.version}_${m.name}`),
      ['1_init', '2_queue', '3_queue_ops', '4_queue_stop'],
    );
  });

  it('can run every migration twice (idempotent) and records each once', async () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations();
    for (const m of migrations) db.exec(m.sql);
    assert.equal(applyMigrations(db, ':memory:', migrations), migrations.length);
    assert.equal(applyMigrations(db, ':memory:', migrations), migrations.length);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{
      version: number;
    }>;
    assert.deepEqual(
      versions.map((v) => v.version),
      migrations.map((m) => m.version),
    );
    db.close();
  });

  it('refuses a ledger with a newer breaking migration and tolerates a newer compatible one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fathom-migr-'));
    const path = join(dir, 'ledger.db');
    try {
      await (await openSqliteLedger(path)).close();
      const raw = new Database(path);
      raw.prepare("INSERT INTO schema_migrations VALUES (99, 'future_compatible', 0, 'x')").run();
      raw.close();
      const store = await openSqliteLedger(path);
      assert.equal((await store.head()).schemaVersion, 99);
      await store.close();
      const raw2 = new Database(path);
      raw2.prepare("INSERT INTO schema_migrations VALUES (100, 'future_breaking', 1, 'x')").run();
      raw2.close();
      await assert.rejects(openSqliteLedger(path), /100_future_breaking, newer than this Fathom/);
      await assert.rejects(openSqliteLedger(path, { readOnly: true }), /100_future_breaking/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // STYLE 8: a schema change must show up as a reviewed diff of schema.snapshot.sql.
  // Refresh it with FATHOM_UPDATE_SNAPSHOT=1 node --test dist/ledger/sqlite/sqlite-migrations.test.js
  it('matches the committed schema snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fathom-schema-'));
    try {
      const path = join(dir, 'ledger.db');
      await (await openSqliteLedger(path)).close();
      const db = new Database(path, { readonly: true });
      const live = dumpSchema(db);
      db.close();
      const snapshot = join(defaultMigrationsDir(), '..', 'schema.snapshot.sql');
      if (process.env.FATHOM_UPDATE_SNAPSHOT === '1') writeFileSync(snapshot, live);
      assert.equal(
        live,
        readFileSync(snapshot, 'utf8'),
        `schema differs from ${snapshot}; if intended, refresh it (see comment)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
