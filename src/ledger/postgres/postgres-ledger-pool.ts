import pg from 'pg';
import { badInput, FathomError, toError } from '../../util/fathom-error.js';
import {
  connectionFailed,
  isConnectionError,
  parsePostgresUrl,
  type PostgresTarget,
} from '../../engine/postgres/postgres-connect.js';
import { loadMigrations, resolveMigrationsDir, type Migration } from '../sqlite/sqlite-migrations.js';

export interface PostgresLedgerOptions {
  /** postgres://user@host:port/database; keep the password out of it (pass `password`). */
  readonly url: string;
  readonly password?: string;
  /** The schema holding the ledger's tables, created if missing. Default `fathom`. */
  readonly schema?: string;
  /** Pooled connections per process. Default 4. */
  readonly poolSize?: number;
}

export interface LedgerPool {
  readonly pool: pg.Pool;
  readonly target: PostgresTarget;
  readonly schema: string;
  /** Where the ledger is, without the password: safe in messages. */
  readonly where: string;
  readonly schemaVersion: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A pool whose every connection has the ledger's schema first on its search_path (set in the
 * startup packet, so a connection made after a server restart has it too), migrated once.
 * Connections that die with the server are dropped by pg-pool; the pool's 'error' event for
 * idle ones is swallowed here, since the next query simply opens a new connection.
 */
export async function openLedgerPool(options: PostgresLedgerOptions): Promise<LedgerPool> {
  const schema = options.schema ?? 'fathom';
  if (!SCHEMA_NAME.test(schema)) {
    throw badInput(
      `ledger schema name '${schema}' is not a plain lowercase identifier`,
      'use letters, digits and _ (e.g. fathom)',
    );
  }
  const parsed = parsePostgresUrl({
    url: options.url,
    ...(options.password === undefined ? {} : { password: options.password }),
  });
  const pool = new pg.Pool({
    connectionString: parsed.config.connectionString,
    connectionTimeoutMillis: 10_000,
    max: options.poolSize ?? 4,
    options: `-c search_path=${schema} -c TimeZone=UTC`,
  });
  pool.on('error', () => undefined);
  const where = `postgres://${parsed.target.user}@${parsed.target.host}:${parsed.target.port}/${parsed.target.database} (schema ${schema})`;
  try {
    const schemaVersion = await migrate(pool, schema, where);
    return { pool, target: parsed.target, schema, where, schemaVersion };
  } catch (thrown) {
    await pool.end().catch(() => undefined);
    if (thrown instanceof FathomError) throw thrown;
    if (isConnectionError(thrown)) throw connectionFailed(parsed.target, thrown, parsed.password);
    throw new FathomError('failed', `cannot open ledger ${where}: ${toError(thrown).message}`, { cause: thrown });
  }
}

export function postgresMigrations(): Migration[] {
  return loadMigrations(resolveMigrationsDir(import.meta.url));
}

/**
 * Apply what is missing in one transaction under an advisory lock on the schema name, so
 * workers starting together on many machines migrate once and the others wait for it.
 */
async function migrate(pool: pg.Pool, schema: string, where: string): Promise<number> {
  const migrations = postgresMigrations();
  return withTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`fathom-ledger:${schema}`]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, breaking boolean NOT NULL DEFAULT false, applied_at timestamptz NOT NULL)`);
    const applied = (
      await c.query<{ version: number; name: string; breaking: boolean }>(
        'SELECT version, name, breaking FROM schema_migrations',
      )
    ).rows;
    const newer = applied.filter((a) => a.version > migrations.length && a.breaking);
    if (newer.length > 0) {
      throw new FathomError(
        'failed',
        `ledger ${where} has schema migration ${newer.map((a) => `${a.version}_${a.name}`).join(', ')}, newer than this Fathom understands`,
        {
          hint: 'upgrade Fathom to open this ledger',
        },
      );
    }
    const done = new Set(applied.map((a) => a.version));
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await c.query(m.sql);
      await c.query(
        'INSERT INTO schema_migrations (version, name, breaking, applied_at) VALUES ($1, $2, $3, clock_timestamp())',
        [m.version, m.name, m.breaking],
      );
    }
    return Math.max(migrations.length, ...applied.map((a) => a.version));
  });
}

/** BEGIN … COMMIT on one pooled connection; a connection that broke is destroyed, not reused. */
export async function withTransaction<T>(
  pool: pg.Pool,
  body: (c: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(begin);
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (thrown) {
    broken = isConnectionError(thrown);
    if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
    throw thrown;
  } finally {
    client.release(broken);
  }
}
