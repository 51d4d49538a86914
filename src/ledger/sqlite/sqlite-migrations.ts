import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { FathomError } from '../../util/fathom-error.js';

/**
 * Numbered migrations: `migrations/NNNN_name.sql`, applied in order, each idempotent
 * (IF NOT EXISTS) and recorded in `schema_migrations`. A migration that older code cannot
 * run against carries the line `-- fathom:breaking`; older code then refuses the file
 * instead of corrupting it. Non-breaking newer migrations are tolerated.
 */

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly breaking: boolean;
}

const MARKER = '0001_init.sql';

/**
 * Where the .sql files are. tsc does not copy them to dist/, so from
 * dist/ledger/sqlite/x.js they are found under src/ledger/sqlite/migrations, by swapping the
 * last `dist` path segment for `src` (the tsconfig rootDir/outDir pair). A `migrations`
 * folder beside the module wins, which covers running from src/ and any future copy step.
 */
export function resolveMigrationsDir(moduleUrl: string, exists: (p: string) => boolean = existsSync): string {
  const here = dirname(fileURLToPath(moduleUrl));
  const tried = [join(here, 'migrations')];
  const parts = here.split(sep);
  const distAt = parts.lastIndexOf('dist');
  if (distAt >= 0)
    tried.push(join([...parts.slice(0, distAt), 'src', ...parts.slice(distAt + 1)].join(sep), 'migrations'));
  const found = tried.find((dir) => exists(join(dir, MARKER)));
  if (found === undefined) {
    throw new FathomError('failed', `ledger migrations not found; looked for ${MARKER} in ${tried.join(' and ')}`, {
      hint: 'the .sql files ship in src/ledger/sqlite/migrations; reinstall Fathom so src/ sits beside dist/',
    });
  }
  return found;
}

export function defaultMigrationsDir(): string {
  return resolveMigrationsDir(import.meta.url);
}

export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (m === null) {
      throw new FathomError('failed', `migration file ${join(dir, file)} is not named NNNN_name.sql`, {
        hint: 'rename it, e.g. 0003_add_tags.sql',
      });
    }
    const sql = readFileSync(join(dir, file), 'utf8');
    migrations.push({ version: Number(m[1]), name: m[2] ?? '', sql, breaking: /^--\s*fathom:breaking\b/m.test(sql) });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new FathomError(
        'failed',
        `migrations in ${dir} must be numbered 1, 2, 3…; found ${m.version} at position ${i + 1}`,
      );
    }
  });
  return migrations;
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  breaking INTEGER NOT NULL DEFAULT 0,
  applied_at TEXT NOT NULL
)`;

interface AppliedRow {
  version: number;
  name: string;
  breaking: number;
}

/** Apply what is missing, in one IMMEDIATE transaction so concurrent openers do it once. */
export function applyMigrations(db: Database, path: string, migrations: readonly Migration[]): number {
  db.exec(CREATE_TABLE);
  const tx = db.transaction(() => {
    const applied = db.prepare('SELECT version, name, breaking FROM schema_migrations').all() as AppliedRow[];
    refuseNewerBreaking(applied, path, migrations.length);
    const done = new Set(applied.map((a) => a.version));
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, name, breaking, applied_at) VALUES (?, ?, ?, ?)',
    );
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, m.breaking ? 1 : 0, new Date().toISOString());
    }
    return Math.max(migrations.length, ...applied.map((a) => a.version));
  });
  return tx.immediate();
}

/** For read-only opens: check, never change. */
export function checkSchema(db: Database, path: string, migrations: readonly Migration[]): number {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const applied =
    hasTable === undefined
      ? []
      : (db.prepare('SELECT version, name, breaking FROM schema_migrations').all() as AppliedRow[]);
  refuseNewerBreaking(applied, path, migrations.length);
  const missing = migrations.filter((m) => !applied.some((a) => a.version === m.version));
  if (missing.length > 0) {
    throw new FathomError(
      'failed',
      `ledger ${path} lacks schema migration ${missing.map((m) => `${m.version}_${m.name}`).join(', ')}`,
      {
        hint: 'open it once read-write (any fathom command that records) to migrate it',
      },
    );
  }
  return Math.max(migrations.length, ...applied.map((a) => a.version));
}

function refuseNewerBreaking(applied: readonly AppliedRow[], path: string, known: number): void {
  const newer = applied.filter((a) => a.version > known && a.breaking === 1);
  if (newer.length > 0) {
    const names = newer.map((a) => `${a.version}_${a.name}`).join(', ');
    throw new FathomError(
      'failed',
      `ledger ${path} has schema migration ${names}, newer than this Fathom understands`,
      {
        hint: 'upgrade Fathom to open this ledger',
      },
    );
  }
}
