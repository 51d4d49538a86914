import type pg from 'pg';
import { FathomError } from '../../util/fathom-error.js';
import { canonicalJson } from '../../util/hash.js';
import { sealEntry } from '../entry-hash.js';
import { checkHeadRow, type HeadRow } from '../check-head.js';
import { replaceRow, rowDigestFromJson } from '../projection-checksum.js';
import {
  countsJson,
  createReplay,
  projectionKey,
  replayChecksum,
  replayEntry,
  type StoredStateRow,
} from '../projection-replay.js';
import { verifyLedger } from '../verify-ledger.js';
import type { AppendOptions, EntryInput, LedgerStore, LogEntry, StatePatch, StateRow } from '../ledger-store.js';
import type { StoredEntryRow } from '../verify-chain.js';
import { openLedgerPool, withTransaction, type PostgresLedgerOptions } from './postgres-ledger-pool.js';
import { queryPostgresLog } from './postgres-log-query.js';
import { createPostgresWorkQueue } from './postgres-work-queue.js';

export type { PostgresLedgerOptions } from './postgres-ledger-pool.js';

const SQL = {
  head: 'SELECT seq, hash, projection_checksum, counts FROM head WHERE id = 1',
  lockHead: 'SELECT seq, hash, projection_checksum, counts FROM head WHERE id = 1 FOR UPDATE',
  updateProjection: 'UPDATE head SET projection_checksum = $1, counts = $2 WHERE id = 1',
  getState: 'SELECT value, seq FROM state WHERE collection = $1 AND key = $2',
  listState: 'SELECT key, value, seq FROM state WHERE collection = $1 ORDER BY key',
  logRows: `SELECT seq, at, kind, status, fingerprint, worker_id AS "workerId", metadata_version AS "metadataVersion",
                   body, prev_hash AS "prevHash", hash FROM log WHERE seq > $1 ORDER BY seq LIMIT $2`,
  lastRow: `SELECT seq, at, kind, status, fingerprint, worker_id AS "workerId", metadata_version AS "metadataVersion",
                   body, prev_hash AS "prevHash", hash FROM log WHERE seq = $1`,
  newerRow: 'SELECT 1 FROM log WHERE seq > $1 LIMIT 1',
  bodies: 'SELECT seq, body FROM log WHERE seq > $1 ORDER BY seq LIMIT $2',
  stateRows: `SELECT collection, key, value, seq FROM state WHERE (collection, key) > ($1, $2) ORDER BY collection, key LIMIT $3`,
  currentRows: `SELECT collection, key, value FROM state
                WHERE (collection, key) IN (SELECT * FROM unnest($1::bytea[], $2::bytea[]))`,
  writeEntry: `WITH l AS (
                 INSERT INTO log (seq, at, kind, status, fingerprint, worker_id, metadata_version, body, prev_hash, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)),
               up AS (
                 INSERT INTO state (collection, key, value, seq) SELECT u.c, u.k, u.v, $1 FROM unnest($11::bytea[], $12::bytea[], $13::text[]) AS u(c, k, v)
                 ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value, seq = excluded.seq),
               del AS (
                 DELETE FROM state WHERE (collection, key) IN (SELECT * FROM unnest($14::bytea[], $15::bytea[])))
               UPDATE head SET seq = $1, hash = $10, projection_checksum = $16, counts = $17 WHERE id = 1`,
  insertStates:
    'INSERT INTO state (collection, key, value, seq) SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::text[], $4::bigint[])',
} as const;

/** Rows per round trip when verify or rebuild walk the whole log. */
const PAGE = 5000;

interface PgHeadRow {
  seq: string;
  hash: string;
  projection_checksum: string;
  counts: string;
}

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
const text = (b: Buffer): string => b.toString('utf8');
const toHead = (h: PgHeadRow): HeadRow => ({
  seq: Number(h.seq),
  hash: h.hash,
  projectionChecksum: h.projection_checksum,
  countsByStatus: JSON.parse(h.counts) as Record<string, number>,
});
const toStored = (r: Record<string, unknown>): StoredEntryRow =>
  ({
    ...r,
    seq: Number(r.seq),
    metadataVersion: r.metadataVersion === null ? null : Number(r.metadataVersion),
  }) as StoredEntryRow;

/**
 * The ledger on Postgres, for workers on many machines: the same log, projection and head as
 * the SQLite store, entry for entry (a ledger verifies the same on both). Each append is one
 * transaction that first locks the head row (SELECT … FOR UPDATE): concurrent appenders from
 * any number of machines queue on that lock, so every entry chains to the one before it, and
 * the projection checksum and head move in the same commit.
 */
export async function openPostgresLedger(
  options: PostgresLedgerOptions,
): Promise<LedgerStore & { readonly where: string }> {
  const { pool, where, schemaVersion } = await openLedgerPool(options);
  const headMissing = (): FathomError =>
    new FathomError('integrity', `ledger ${where}: the head row is missing`, {
      hint: 'the database was edited outside Fathom; run `fathom verify`, and restore it from a backup',
    });
  const queue = createPostgresWorkQueue(pool);

  // The head lock is held from the lock query to COMMIT, so the append does its work in as
  // few round trips as it can under it: one read of the rows its patches replace, then one
  // statement writing the log row, the state rows and the head: 3 round trips under the lock
  // for a one-patch entry instead of 5 (appends from many writers queue on this lock).
  const append = (input: EntryInput, options: AppendOptions): Promise<LogEntry> =>
    withTransaction(pool, async (c) => {
      const h = (await c.query<PgHeadRow>({ name: 'fathom.lockHead', text: SQL.lockHead })).rows[0];
      if (h === undefined) throw headMissing();
      const release = options.lease === undefined ? undefined : await queue.guard(c, input, options.lease);
      const seq = Number(h.seq) + 1;
      const { entry: e, body } = sealEntry(input, seq, new Date().toISOString(), h.hash);
      const current = await currentRows(c, e.patches);
      let checksum = h.projection_checksum;
      for (const p of e.patches) {
        const id = projectionKey(p.collection, p.key);
        const old = current.get(id);
        const json = p.value === null ? null : canonicalJson(p.value);
        checksum = replaceRow(
          checksum,
          old == null ? null : rowDigestFromJson(p.collection, p.key, old),
          json === null ? null : rowDigestFromJson(p.collection, p.key, json),
        );
        current.set(id, json);
      }
      const counts = JSON.parse(h.counts) as Record<string, number>;
      counts[e.status] = (counts[e.status] ?? 0) + 1;
      // Last write per row wins: one statement cannot touch a row twice.
      const final = new Map(e.patches.map((p) => [projectionKey(p.collection, p.key), p] as const));
      const upserts = [...final.values()].filter((p) => p.value !== null);
      const deletes = [...final.values()].filter((p) => p.value === null);
      // Named: prepared once per connection, not parsed and planned on every append.
      await c.query({
        name: 'fathom.writeEntry',
        text: SQL.writeEntry,
        values: [
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
          upserts.map((p) => bytes(p.collection)),
          upserts.map((p) => bytes(p.key)),
          upserts.map((p) => current.get(projectionKey(p.collection, p.key))),
          deletes.map((p) => bytes(p.collection)),
          deletes.map((p) => bytes(p.key)),
          checksum,
          countsJson(counts),
        ],
      });
      await release?.();
      return e;
    });

  return {
    where,
    queue,
    append: (input, options = {}) => append(input, options),
    async head() {
      const h = (await pool.query<PgHeadRow>(SQL.head)).rows[0];
      if (h === undefined) throw headMissing();
      return { ...toHead(h), schemaVersion };
    },
    // One snapshot: read apart, an append between the head and the log would look like damage.
    checkHead: () =>
      withTransaction(
        pool,
        async (c) => {
          const h = (await c.query<PgHeadRow>(SQL.head)).rows[0];
          const head = h === undefined ? null : toHead(h);
          const seq = head?.seq ?? 0;
          const last = (await c.query(SQL.lastRow, [seq])).rows[0] as Record<string, unknown> | undefined;
          const newer = ((await c.query(SQL.newerRow, [seq])).rowCount ?? 0) > 0;
          return checkHeadRow(head, last === undefined ? undefined : toStored(last), newer);
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      ),
    entries: (query) => queryPostgresLog(pool, query),
    async getState<T>(collection: string, key: string): Promise<StateRow<T> | undefined> {
      const row = (await pool.query<{ value: string; seq: string }>(SQL.getState, [bytes(collection), bytes(key)]))
        .rows[0];
      return row === undefined ? undefined : { key, value: JSON.parse(row.value) as T, seq: Number(row.seq) };
    },
    async listState<T>(collection: string): Promise<Array<StateRow<T>>> {
      const rows = (await pool.query<{ key: Buffer; value: string; seq: string }>(SQL.listState, [bytes(collection)]))
        .rows;
      return rows.map((r) => ({ key: text(r.key), value: JSON.parse(r.value) as T, seq: Number(r.seq) }));
    },
    // One REPEATABLE READ snapshot: appends go on meanwhile and are simply not seen.
    verify: () =>
      withTransaction(
        pool,
        async (c) => {
          const h = (await c.query<PgHeadRow>(SQL.head)).rows[0];
          return verifyLedger({
            head: h === undefined ? null : toHead(h),
            entries: logPages(c),
            state: () => statePages(c),
          });
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      ),
    rebuildProjections: () =>
      withTransaction(pool, async (c) => {
        if ((await c.query(SQL.lockHead)).rows[0] === undefined) throw headMissing();
        const replay = createReplay();
        for await (const row of pages(c, SQL.bodies)) {
          let body: LogEntry;
          try {
            body = JSON.parse(String(row.body)) as LogEntry;
          } catch (cause) {
            throw new FathomError(
              'integrity',
              `cannot rebuild ledger ${where}: entry ${String(row.seq)} has a body that is not JSON`,
              {
                cause,
                hint: 'run `fathom verify` to see what else is damaged',
              },
            );
          }
          replayEntry(replay, { seq: Number(row.seq), status: body.status, patches: body.patches });
        }
        await c.query('DELETE FROM state');
        const rows = [...replay.rows.values()];
        for (let i = 0; i < rows.length; i += PAGE) {
          const page = rows.slice(i, i + PAGE);
          await c.query(SQL.insertStates, [
            page.map((r) => bytes(r.collection)),
            page.map((r) => bytes(r.key)),
            page.map((r) => r.valueJson),
            page.map((r) => r.seq),
          ]);
        }
        await c.query(SQL.updateProjection, [replayChecksum(replay), countsJson(replay.countsByStatus)]);
      }),
    async close() {
      await pool.end();
    },
  };
}

/** The stored value text of each row the patches touch, by projectionKey. */
async function currentRows(c: pg.PoolClient, patches: readonly StatePatch[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (patches.length === 0) return out;
  const { rows } = await c.query<{ collection: Buffer; key: Buffer; value: string }>({
    name: 'fathom.currentRows',
    text: SQL.currentRows,
    values: [patches.map((p) => bytes(p.collection)), patches.map((p) => bytes(p.key))],
  });
  for (const r of rows) out.set(projectionKey(text(r.collection), text(r.key)), r.value);
  return out;
}

async function* pages(c: pg.PoolClient, sql: string): AsyncGenerator<Record<string, unknown>> {
  let after = 0;
  for (;;) {
    const { rows } = await c.query(sql, [after, PAGE]);
    for (const r of rows) yield r as Record<string, unknown>;
    if (rows.length < PAGE) return;
    after = Number((rows[rows.length - 1] as { seq: string }).seq);
  }
}

async function* logPages(c: pg.PoolClient): AsyncGenerator<StoredEntryRow> {
  for await (const r of pages(c, SQL.logRows)) yield toStored(r);
}

async function* statePages(c: pg.PoolClient): AsyncGenerator<StoredStateRow> {
  // Collections are never empty, so every row sorts after the empty pair.
  let after: [Buffer, Buffer] = [Buffer.alloc(0), Buffer.alloc(0)];
  for (;;) {
    const { rows } = await c.query<{ collection: Buffer; key: Buffer; value: string; seq: string }>(SQL.stateRows, [
      ...after,
      PAGE,
    ]);
    for (const r of rows)
      yield { collection: text(r.collection), key: text(r.key), value: r.value, seq: Number(r.seq) };
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = [last.collection, last.key];
  }
}
