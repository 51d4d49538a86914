import Database, { type Statement } from 'better-sqlite3';
import { FathomError } from '../../util/fathom-error.js';
import { canonicalJson } from '../../util/hash.js';
import { sealEntry } from '../entry-hash.js';
import { replaceRow, rowDigestFromJson } from '../projection-checksum.js';
import { countsJson, createReplay, replayChecksum, replayEntry } from '../projection-replay.js';
import { verifyLedger } from '../verify-ledger.js';
import { checkHeadRow } from '../check-head.js';
import { createSqliteWorkQueue } from './sqlite-work-queue.js';
import type {
  AppendOptions,
  EntryInput,
  LedgerHead,
  LedgerStore,
  LogEntry,
  StateRow,
  StatePatch,
} from '../ledger-store.js';
import type { StoredEntryRow } from '../verify-chain.js';
import type { StoredStateRow } from '../projection-replay.js';
import { BUSY_TIMEOUT_MS, openConnection, wrapBusy } from './sqlite-connection.js';
import { queryLog } from './sqlite-log-query.js';

export interface SqliteLedgerOptions {
  /** Open without migrating or writing; append and rebuildProjections then throw. */
  readonly readOnly?: boolean;
}

interface HeadRow {
  seq: number;
  hash: string;
  projection_checksum: string;
  counts: string;
}

const SQL = {
  head: 'SELECT seq, hash, projection_checksum, counts FROM head WHERE id = 1',
  insertLog: `INSERT INTO log (seq, at, kind, status, fingerprint, worker_id, metadata_version, body, prev_hash, hash)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  updateHead: 'UPDATE head SET seq = ?, hash = ?, projection_checksum = ?, counts = ? WHERE id = 1',
  updateProjection: 'UPDATE head SET projection_checksum = ?, counts = ? WHERE id = 1',
  getState: 'SELECT value, seq FROM state WHERE collection = ? AND key = ?',
  upsertState: `INSERT INTO state (collection, key, value, seq) VALUES (?, ?, ?, ?)
                ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value, seq = excluded.seq`,
  deleteState: 'DELETE FROM state WHERE collection = ? AND key = ?',
  listState: 'SELECT key, value, seq FROM state WHERE collection = ? ORDER BY key',
  allBodies: 'SELECT seq, body FROM log ORDER BY seq',
  verifyLog: `SELECT seq, at, kind, status, fingerprint, worker_id AS workerId, metadata_version AS metadataVersion,
                     body, prev_hash AS prevHash, hash FROM log ORDER BY seq`,
  verifyState: 'SELECT collection, key, value, seq FROM state',
  lastRow: `SELECT seq, at, kind, status, fingerprint, worker_id AS workerId, metadata_version AS metadataVersion,
                   body, prev_hash AS prevHash, hash FROM log WHERE seq = ?`,
  newerRow: 'SELECT 1 FROM log WHERE seq > ? LIMIT 1',
} as const;

// The head row is created by the first migration and only ever updated; if it is gone the
// file was edited by hand, and every read or append would otherwise fail with a TypeError.
function readHead(db: Database.Database, path: string, sql: string): HeadRow {
  const h = db.prepare(sql).get() as HeadRow | undefined;
  if (h === undefined) {
    throw new FathomError('integrity', `ledger ${path}: the head row is missing`, {
      hint: 'the file was edited outside Fathom; run `fathom verify`, and restore it from a backup',
    });
  }
  return h;
}

/**
 * The embedded ledger: one SQLite file in WAL mode, shared by every process on the machine.
 * Each append is one IMMEDIATE transaction (log row, state patches, head), so concurrent
 * appenders serialise on the write lock and the chain stays linear.
 */
export async function openSqliteLedger(path: string, options: SqliteLedgerOptions = {}): Promise<LedgerStore> {
  const readOnly = options.readOnly ?? false;
  const { db, schemaVersion } = openConnection(path, readOnly);
  const stmts = new Map<string, Statement>();
  const stmt = (sql: string): Statement => {
    let s = stmts.get(sql);
    if (s === undefined) stmts.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const writable = (what: string): void => {
    if (readOnly) throw new FathomError('usage', `cannot ${what}: ledger ${path} was opened read-only`);
  };

  // Returns the new checksum; replaying the same patch in verify gives the same digests.
  const applyPatch = (p: StatePatch, seq: number, checksum: string): string => {
    const old = stmt(SQL.getState).get(p.collection, p.key) as { value: string } | undefined;
    const oldDigest = old === undefined ? null : rowDigestFromJson(p.collection, p.key, old.value);
    if (p.value === null) {
      stmt(SQL.deleteState).run(p.collection, p.key);
      return replaceRow(checksum, oldDigest, null);
    }
    const json = canonicalJson(p.value);
    stmt(SQL.upsertState).run(p.collection, p.key, json, seq);
    return replaceRow(checksum, oldDigest, rowDigestFromJson(p.collection, p.key, json));
  };

  const queue = createSqliteWorkQueue(db, path);

  const appendTx = db.transaction((input: EntryInput, options: AppendOptions): LogEntry => {
    const head = readHead(db, path, SQL.head);
    const release = options.lease === undefined ? undefined : queue.guard(input, options.lease);
    const seq = head.seq + 1;
    const { entry: e, body } = sealEntry(input, seq, new Date().toISOString(), head.hash);
    stmt(SQL.insertLog).run(
      seq,
      e.at,
      e.kind,
      e.status,
      e.fingerprint,
      e.workerId,
      e.metadataVersion,
      body,
      e.prevHash,
      e.hash,
    );
    let checksum = head.projection_checksum;
    for (const p of e.patches) checksum = applyPatch(p, seq, checksum);
    const counts = JSON.parse(head.counts) as Record<string, number>;
    counts[e.status] = (counts[e.status] ?? 0) + 1;
    stmt(SQL.updateHead).run(seq, e.hash, checksum, countsJson(counts));
    release?.();
    return e;
  });

  const checkHeadTx = db.transaction(() => {
    const h = db.prepare(SQL.head).get() as HeadRow | undefined;
    const head =
      h === undefined
        ? null
        : {
            seq: h.seq,
            hash: h.hash,
            projectionChecksum: h.projection_checksum,
            countsByStatus: JSON.parse(h.counts) as Record<string, number>,
          };
    const last = stmt(SQL.lastRow).get(head?.seq ?? 0) as StoredEntryRow | undefined;
    const newer = stmt(SQL.newerRow).get(head?.seq ?? 0) !== undefined;
    return checkHeadRow(head, head === null ? undefined : last, newer);
  });

  const rebuildTx = db.transaction(() => {
    const replay = createReplay();
    for (const row of stmt(SQL.allBodies).iterate() as Iterable<{ seq: number; body: string }>) {
      let body: LogEntry;
      try {
        body = JSON.parse(row.body) as LogEntry;
      } catch (cause) {
        throw new FathomError(
          'integrity',
          `cannot rebuild ledger ${path}: entry ${row.seq} has a body that is not JSON`,
          {
            cause,
            hint: 'run `fathom verify` to see what else is damaged',
          },
        );
      }
      replayEntry(replay, { seq: row.seq, status: body.status, patches: body.patches });
    }
    db.exec('DELETE FROM state');
    const insert = stmt(SQL.upsertState);
    for (const r of replay.rows.values()) insert.run(r.collection, r.key, r.valueJson, r.seq);
    stmt(SQL.updateProjection).run(replayChecksum(replay), countsJson(replay.countsByStatus));
  });

  return {
    queue,
    async append(input, options = {}) {
      writable('append');
      try {
        return appendTx.immediate(input, options);
      } catch (thrown) {
        throw wrapBusy(path, thrown);
      }
    },
    async head(): Promise<LedgerHead> {
      const h = readHead(db, path, SQL.head);
      const countsByStatus = JSON.parse(h.counts) as Record<string, number>;
      return { seq: h.seq, hash: h.hash, projectionChecksum: h.projection_checksum, countsByStatus, schemaVersion };
    },
    // One read transaction (a WAL snapshot): read apart, another process's append between
    // the head and the log would look like damage.
    async checkHead() {
      return checkHeadTx();
    },
    async entries(query) {
      return queryLog(db, stmts, query);
    },
    async getState<T>(collection: string, key: string): Promise<StateRow<T> | undefined> {
      const row = stmt(SQL.getState).get(collection, key) as { value: string; seq: number } | undefined;
      return row === undefined ? undefined : { key, value: JSON.parse(row.value) as T, seq: row.seq };
    },
    async listState<T>(collection: string): Promise<Array<StateRow<T>>> {
      const rows = stmt(SQL.listState).all(collection) as Array<{ key: string; value: string; seq: number }>;
      return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as T, seq: r.seq }));
    },
    verify: () => verifySnapshot(path, db),
    async rebuildProjections() {
      writable('rebuild projections');
      try {
        rebuildTx.immediate();
      } catch (thrown) {
        throw wrapBusy(path, thrown);
      }
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

/**
 * Verify reads through its own read-only connection inside one read transaction: WAL gives
 * it a fixed snapshot of head, log and state while appends go on, and its open cursor never
 * blocks the main connection. An in-memory ledger has no file to reopen, so it is read
 * eagerly and synchronously (hence consistently) on the main connection instead.
 */
async function verifySnapshot(path: string, main: Database.Database) {
  const readAll = (db: Database.Database, stream: boolean) => {
    const h = db.prepare(SQL.head).get() as HeadRow | undefined;
    const log = db.prepare(SQL.verifyLog);
    const state = db.prepare(SQL.verifyState);
    const stateRows = stream ? undefined : (state.all() as StoredStateRow[]);
    return {
      head:
        h === undefined
          ? null
          : {
              seq: h.seq,
              hash: h.hash,
              projectionChecksum: h.projection_checksum,
              countsByStatus: JSON.parse(h.counts),
            },
      entries: (stream ? log.iterate() : log.all()) as Iterable<StoredEntryRow>,
      state: () => stateRows ?? (state.iterate() as Iterable<StoredStateRow>),
    };
  };
  if (main.memory) return verifyLedger(readAll(main, false));
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec('BEGIN');
    return await verifyLedger(readAll(db, true));
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    db.close();
  }
}
