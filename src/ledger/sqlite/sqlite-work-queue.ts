import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { canonicalJson } from '../../util/hash.js';
import { loadSqlFiles, sqlFile } from '../sql-files.js';
import { leaseRelease } from '../lease-guard.js';
import type { EntryInput } from '../ledger-store.js';
import { DEFAULT_MAX_ATTEMPTS, type LeaseGuard, type QueueState, type WorkQueue } from '../work-queue.js';
import { claimed, queueRow, workerInfo, type ClaimRow } from '../queue-rows.js';
import { wrapBusy } from './sqlite-connection.js';

const SQL = loadSqlFiles(import.meta.url, 'queue');

/**
 * The queue operations on the ledger's own connection. Writes run in IMMEDIATE transactions:
 * SQLite takes the write lock up front, so two processes claiming at once are serialised and
 * never lease the same row.
 */
export function createSqliteWorkQueue(
  db: Database.Database,
  path: string,
): WorkQueue & {
  /** Inside the append transaction: check the lease, then (after the insert) release it. */
  guard(entry: EntryInput, guard: LeaseGuard): () => void;
} {
  const stmts = new Map<string, Statement>();
  const stmt = (name: string): Statement => {
    let s = stmts.get(name);
    if (s === undefined) stmts.set(name, (s = db.prepare(sqlFile(SQL, name))));
    return s;
  };
  const immediate = <T>(fn: () => T): T => {
    try {
      return db.transaction(fn).immediate();
    } catch (thrown) {
      throw wrapBusy(path, thrown);
    }
  };
  const failDependents = (fingerprint: string): void => {
    stmt('fail-dependents').run({ fingerprint });
  };

  return {
    guard(entry, guard) {
      const row = stmt('lease-check').get({ fingerprint: entry.fingerprint ?? null }) as
        { state: string; lease_owner: string | null } | undefined;
      const { fingerprint, release } = leaseRelease(entry, guard, row);
      return () => {
        const args = { fingerprint, owner: guard.owner };
        if (release === 'complete') stmt('complete').run(args);
        if (release === 'fail') {
          const after = stmt('fail').get({
            ...args,
            backoff: guard.times.backoffSeconds,
            error: entry.error ?? 'failed',
            final: guard.final === true ? 1 : 0,
          }) as { state: string };
          if (after.state === 'failed') failDependents(fingerprint);
        }
      };
    },
    async enqueue(actions) {
      immediate(() => {
        for (const a of actions) {
          stmt('enqueue').run({
            fingerprint: a.fingerprint,
            kind: a.kind,
            version: a.version,
            params: canonicalJson(a.params ?? null),
            inputs: canonicalJson(a.inputs),
            metadata_version: a.metadataVersion,
            max_attempts: a.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
          });
        }
        for (const a of actions) {
          for (const d of a.dependsOn) stmt('enqueue-dep').run({ fingerprint: a.fingerprint, depends_on: d });
          if (a.stopAt == null) stmt('clear-stop').run({ fingerprint: a.fingerprint });
          else stmt('enqueue-stop').run({ fingerprint: a.fingerprint, stop_at_ms: Math.round(a.stopAt) });
        }
      });
    },
    async claim(owner, times) {
      return immediate(() => {
        const row = stmt('claim').get({ owner, lease: times.leaseSeconds }) as ClaimRow | undefined;
        if (row === undefined) return undefined;
        const deps = stmt('deps').all({ fingerprint: row.fingerprint }) as Array<{ depends_on: string }>;
        const stop = stmt('stop').get({ fingerprint: row.fingerprint }) as { stop_at_ms: number } | undefined;
        return claimed(
          row,
          deps.map((d) => d.depends_on),
          stop?.stop_at_ms ?? null,
        );
      });
    },
    async heartbeat(fingerprint, owner, times) {
      return stmt('heartbeat').run({ fingerprint, owner, lease: times.leaseSeconds }).changes === 1;
    },
    async release(fingerprint, owner) {
      return immediate(() => stmt('release').run({ fingerprint, owner }).changes === 1);
    },
    async resetExpired(times) {
      return immediate(() => {
        const reset = stmt('reset-expired').all({ backoff: times.backoffSeconds }) as Array<{
          fingerprint: string;
          state: string;
        }>;
        for (const r of reset) if (r.state === 'failed') failDependents(r.fingerprint);
        return reset.length;
      });
    },
    async rows(fingerprints) {
      const rows = stmt('rows').all({
        all: fingerprints === undefined ? 1 : 0,
        fingerprints: JSON.stringify(fingerprints ?? []),
      }) as Array<Record<string, unknown>>;
      return rows.map(queueRow);
    },
    async leased() {
      return (stmt('leased').all() as Array<Record<string, unknown>>).map(queueRow);
    },
    async counts() {
      const counts: Record<QueueState, number> = { ready: 0, leased: 0, done: 0, failed: 0 };
      for (const r of stmt('counts').all() as Array<{ state: QueueState; n: number }>) counts[r.state] = r.n;
      return counts;
    },
    async registerWorker(w) {
      immediate(() =>
        stmt('worker-register').run({
          id: w.id,
          host: w.host,
          pid: w.pid,
          concurrency: w.concurrency,
          lease_seconds: w.leaseSeconds,
          joined_seq: w.joinedSeq,
          joined_hash: w.joinedHash,
        }),
      );
    },
    async workerHeartbeat(id) {
      stmt('worker-heartbeat').run({ id });
    },
    async stopWorker(id) {
      stmt('worker-stop').run({ id });
    },
    async workers() {
      return (stmt('workers').all() as Array<Record<string, unknown>>).map(workerInfo);
    },
  };
}
