import type pg from 'pg';
import { canonicalJson } from '../../util/hash.js';
import { loadSqlFiles, sqlFile } from '../sql-files.js';
import { leaseRelease } from '../lease-guard.js';
import { claimed, queueRow, workerInfo, type ClaimRow } from '../queue-rows.js';
import type { EntryInput } from '../ledger-store.js';
import { DEFAULT_MAX_ATTEMPTS, type LeaseGuard, type QueueState, type WorkQueue } from '../work-queue.js';
import { withTransaction } from './postgres-ledger-pool.js';

const SQL = loadSqlFiles(import.meta.url, 'queue');
const q = (name: string): string => sqlFile(SQL, name);

/** The queue operations on the ledger's pool; claim uses FOR UPDATE SKIP LOCKED (claim.sql). */
export function createPostgresWorkQueue(pool: pg.Pool): WorkQueue & {
  /** Inside the append transaction: check (and lock) the lease; the result releases it. */
  guard(c: pg.PoolClient, entry: EntryInput, guard: LeaseGuard): Promise<() => Promise<void>>;
} {
  const failDependents = async (c: pg.ClientBase | pg.Pool, fingerprint: string): Promise<void> => {
    await c.query(q('fail-dependents'), [fingerprint]);
  };
  return {
    async guard(c, entry, guard) {
      const row = (
        await c.query<{ state: string; lease_owner: string | null }>(q('lease-check'), [entry.fingerprint ?? null])
      ).rows[0];
      const { fingerprint, release } = leaseRelease(entry, guard, row);
      return async () => {
        if (release === 'complete') await c.query(q('complete'), [fingerprint, guard.owner]);
        if (release === 'fail') {
          const after = await c.query<{ state: string }>(q('fail'), [
            fingerprint,
            guard.owner,
            guard.times.backoffSeconds,
            entry.error ?? 'failed',
            guard.final === true,
          ]);
          if (after.rows[0]?.state === 'failed') await failDependents(c, fingerprint);
        }
      };
    },
    async enqueue(actions) {
      if (actions.length === 0) return;
      await withTransaction(pool, async (c) => {
        await c.query(q('enqueue'), [
          actions.map((a) => a.fingerprint),
          actions.map((a) => a.kind),
          actions.map((a) => a.version),
          actions.map((a) => canonicalJson(a.params ?? null)),
          actions.map((a) => canonicalJson(a.inputs)),
          actions.map((a) => a.metadataVersion),
          actions.map((a) => a.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
          actions.map((a) => (a.stopAt == null ? null : Math.round(a.stopAt))),
        ]);
        const edges = actions.flatMap((a) => a.dependsOn.map((d) => [a.fingerprint, d] as const));
        if (edges.length > 0) await c.query(q('enqueue-dep'), [edges.map((e) => e[0]), edges.map((e) => e[1])]);
      });
    },
    async claim(owner, times) {
      const row = (await pool.query<ClaimRow & { depends_on: string[] }>(q('claim'), [owner, times.leaseSeconds]))
        .rows[0];
      return row === undefined ? undefined : claimed(row, row.depends_on);
    },
    async heartbeat(fingerprint, owner, times) {
      return (await pool.query(q('heartbeat'), [fingerprint, owner, times.leaseSeconds])).rowCount === 1;
    },
    async release(fingerprint, owner) {
      return (await pool.query(q('release'), [fingerprint, owner])).rowCount === 1;
    },
    async resetExpired(times) {
      return withTransaction(pool, async (c) => {
        const reset = (
          await c.query<{ fingerprint: string; state: string }>(q('reset-expired'), [times.backoffSeconds])
        ).rows;
        for (const r of reset) if (r.state === 'failed') await failDependents(c, r.fingerprint);
        return reset.length;
      });
    },
    async rows(fingerprints) {
      const { rows } = await pool.query(q('rows'), [fingerprints === undefined, fingerprints ?? []]);
      return rows.map((r) => queueRow(r as Record<string, unknown>));
    },
    async leased() {
      return (await pool.query(q('leased'))).rows.map((r) => queueRow(r as Record<string, unknown>));
    },
    async counts() {
      const counts: Record<QueueState, number> = { ready: 0, leased: 0, done: 0, failed: 0 };
      for (const r of (await pool.query<{ state: QueueState; n: number }>(q('counts'))).rows) counts[r.state] = r.n;
      return counts;
    },
    async registerWorker(w) {
      await pool.query(q('worker-register'), [
        w.id,
        w.host,
        w.pid,
        w.concurrency,
        w.leaseSeconds,
        w.joinedSeq,
        w.joinedHash,
      ]);
    },
    async workerHeartbeat(id) {
      await pool.query(q('worker-heartbeat'), [id]);
    },
    async stopWorker(id) {
      await pool.query(q('worker-stop'), [id]);
    },
    async workers() {
      return (await pool.query(q('workers'))).rows.map((r) => workerInfo(r as Record<string, unknown>));
    },
  };
}
