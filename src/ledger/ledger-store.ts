/**
 * The ledger store interface: the central metadata database. SQLite (WAL) is the embedded
 * default; a Postgres store implements the same interface (issue: distributed execution).
 *
 * The log is append-only and hash-chained: entry n stores hash(n-1) and its own hash, the
 * sha256 of its canonical body including the previous hash. The current state is a
 * projection of the log, kept in a table for cheap reads and rebuildable by replay.
 */

import type { LeaseGuard, WorkQueue } from './work-queue.js';

export type EntryStatus = 'started' | 'succeeded' | 'failed' | 'reused' | 'recorded';

/**
 * A change to the projected state carried by a log entry. Replaying every entry's patches in
 * order rebuilds the projection exactly. `value: null` deletes the key.
 */
export interface StatePatch {
  readonly collection: string;
  readonly key: string;
  readonly value: unknown;
}

/** What a caller appends. The store assigns seq, timestamps and hashes. */
export interface EntryInput {
  readonly kind: string;
  readonly status: EntryStatus;
  /** The action fingerprint (sha256 hex) this entry is about, if it is an action. */
  readonly fingerprint?: string | null;
  readonly params?: unknown;
  /** Fingerprints of the inputs (source data, upstream outputs). */
  readonly inputs?: readonly string[];
  /** Content address (sha256) of the output in the object store. */
  readonly output?: string | null;
  readonly error?: string | null;
  readonly workerId: string;
  readonly metadataVersion?: number | null;
  /** Free-form detail, e.g. a human message ("reused output of entry 12"). */
  readonly detail?: unknown;
  /** State changes this entry makes; applied atomically with the append. */
  readonly patches?: readonly StatePatch[];
}

export interface LogEntry {
  readonly seq: number;
  readonly at: string; // ISO-8601 UTC
  readonly kind: string;
  readonly status: EntryStatus;
  readonly fingerprint: string | null;
  readonly params: unknown;
  readonly inputs: readonly string[];
  readonly output: string | null;
  readonly error: string | null;
  readonly workerId: string;
  readonly metadataVersion: number | null;
  readonly detail: unknown;
  readonly patches: readonly StatePatch[];
  readonly prevHash: string;
  readonly hash: string;
}

/** O(1) summary read from the head row, never from a scan of the log. */
export interface LedgerHead {
  readonly seq: number;
  readonly hash: string;
  /** Order-independent checksum of the projected state (see projection-checksum.ts). */
  readonly projectionChecksum: string;
  readonly countsByStatus: Readonly<Record<string, number>>;
  readonly schemaVersion: number;
}

/**
 * A page of the log. Forward paging: pass the last seq seen as `afterSeq`. Backward paging:
 * pass the oldest seq seen as `beforeSeq`; the page is then newest first unless
 * `descending: false`. Filters combine with AND.
 */
export interface LogQuery {
  /** Return entries with seq > afterSeq (forward paging), default 0. */
  readonly afterSeq?: number;
  /** Return entries with seq < beforeSeq (backward paging, newest first). */
  readonly beforeSeq?: number;
  /** Page size, default 1000: a ledger can hold millions of entries. */
  readonly limit?: number;
  readonly kind?: string;
  readonly status?: EntryStatus;
  readonly fingerprint?: string;
  /** newest first when true */
  readonly descending?: boolean;
}

/** One row of the projected state and the entry that last wrote it. */
export interface StateRow<T = unknown> {
  readonly key: string;
  readonly value: T;
  readonly seq: number;
}

export interface VerifyProblem {
  readonly seq: number;
  readonly reason: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly entries: number;
  readonly headSeq: number;
  /** The first broken entry, if any. */
  readonly firstProblem: VerifyProblem | null;
  readonly projectionOk: boolean;
  readonly projectionDiff: readonly string[];
  readonly ms: number;
}

export interface AppendOptions {
  /** Append only while holding this action's lease, and release it with the result. */
  readonly lease?: LeaseGuard;
}

export interface LedgerStore {
  append(entry: EntryInput, options?: AppendOptions): Promise<LogEntry>;
  head(): Promise<LedgerHead>;
  /**
   * The O(1) check a joining worker makes: the head row exists, the last entry is the one
   * the head names and its hash matches its body, and the counts add up to the head seq.
   * Null when all hold; otherwise the problem, naming the entry. Full check: verify().
   */
  checkHead(): Promise<VerifyProblem | null>;
  /** The work queue and the workers, in the same database. */
  readonly queue: WorkQueue;
  entries(query?: LogQuery): Promise<LogEntry[]>;
  /** Read one projected row (value and the seq that wrote it); undefined if absent. */
  getState<T = unknown>(collection: string, key: string): Promise<StateRow<T> | undefined>;
  /** All keys of one collection, ordered by key. */
  listState<T = unknown>(collection: string): Promise<Array<StateRow<T>>>;
  /** Recompute the chain and the projection from the log; report the first broken entry. */
  verify(): Promise<VerifyReport>;
  /** Drop the projection and rebuild it by replaying the log. */
  rebuildProjections(): Promise<void>;
  close(): Promise<void>;
}
