import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { FathomError, toError } from '../../util/fathom-error.js';
import { applyMigrations, checkSchema, loadMigrations } from './sqlite-migrations.js';

export interface SqliteConnection {
  readonly db: Database.Database;
  readonly schemaVersion: number;
}

/**
 * How long a writer waits for another process's append before failing. Appends hold the
 * write lock for well under a millisecond, so 10 s only runs out when something is stuck.
 */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Open and migrate. WAL lets readers (verify, dashboards) run beside one writer across
 * processes; synchronous=NORMAL in WAL survives a process crash and may lose only the last
 * commits on power loss, never the chain's consistency, and execution is at-least-once anyway.
 */
export function openConnection(path: string, readOnly: boolean): SqliteConnection {
  if (readOnly && path !== ':memory:' && !existsSync(path)) {
    throw new FathomError('not_found', `ledger ${path} does not exist`, {
      hint: 'check the path, or open it read-write to create it',
    });
  }
  if (!readOnly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: readOnly, fileMustExist: readOnly });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!readOnly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const migrations = loadMigrations();
    const schemaVersion = readOnly ? checkSchema(db, path, migrations) : applyMigrations(db, path, migrations);
    return { db, schemaVersion };
  } catch (thrown) {
    db?.close();
    if (thrown instanceof FathomError) throw thrown;
    const err = toError(thrown);
    throw new FathomError('failed', `cannot open ledger ${path}: ${err.message}`, {
      cause: err,
      hint: 'the file must be a Fathom ledger (SQLite); move it aside to start a new one',
    });
  }
}

/** Appends wait BUSY_TIMEOUT_MS for the write lock; name the likely culprit when it runs out. */
export function wrapBusy(path: string, thrown: unknown): Error {
  const err = toError(thrown);
  if ((err as { code?: string }).code !== 'SQLITE_BUSY') return err;
  return new FathomError('failed', `ledger ${path} stayed locked for ${BUSY_TIMEOUT_MS / 1000} s`, {
    cause: err,
    hint: 'another process holds a write transaction; find it (e.g. `fuser` on the file) and stop it',
  });
}
