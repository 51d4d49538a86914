import { FathomError } from '../util/fathom-error.js';

/**
 * The work queue kept in the metadata database beside the ledger, so that committing an
 * action's result and releasing its lease happen in one transaction (see AppendOptions).
 * Each store implements the operations as small SQL files, one per operation (claim,
 * complete, fail, reset-expired, heartbeat …), in the manner of graphile-worker; backoff and
 * lease expiry are computed in SQL with the database's clock, so machines whose clocks
 * disagree still agree on when a lease ran out.
 */

export type QueueState = 'ready' | 'leased' | 'done' | 'failed';

/** A planned action, self-contained: a worker on another machine needs nothing else. */
export interface QueuedAction {
  readonly fingerprint: string;
  readonly kind: string;
  /** The code version it was planned with; a worker running other code refuses it. */
  readonly version: string;
  readonly params: unknown;
  /** Input fingerprints in the order the action receives them. */
  readonly inputs: readonly string[];
  /** Fingerprints of queued actions that must be done before this one is ready. */
  readonly dependsOn: readonly string[];
  readonly metadataVersion: number | null;
  /** Runs allowed, counting lease expiries (a worker that died mid-action). Default 5. */
  readonly maxAttempts?: number;
  /**
   * Epoch ms (the planner's clock) when a run of it must stop: a time budget. Not part of the
   * action's identity; enqueueing it again sets the newest plan's, unless it is running now.
   */
  readonly stopAt?: number | null;
}

export interface ClaimedAction extends QueuedAction {
  /** This claim's number, 1 for the first. */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly stopAt: number | null;
}

export interface QueueRow {
  readonly fingerprint: string;
  readonly kind: string;
  readonly state: QueueState;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly leaseOwner: string | null;
  readonly lastError: string | null;
}

export interface WorkerInfo {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly concurrency: number;
  readonly leaseSeconds: number;
  /** The ledger head the worker checked when it joined. */
  readonly joinedSeq: number;
  readonly joinedHash: string;
  readonly startedAt: string;
  readonly heartbeatAt: string;
  /** Seconds since the last heartbeat, by the database's clock. */
  readonly heartbeatAgeS: number;
  readonly stoppedAt: string | null;
}

export interface LeaseTimes {
  /** How long a claim or heartbeat keeps the lease. */
  readonly leaseSeconds: number;
  /** Retry n waits backoffSeconds * 2^(n-1), capped at an hour. */
  readonly backoffSeconds: number;
}

export interface WorkQueue {
  /**
   * Add actions and their dependency edges in one transaction. An action already done or
   * failed is made ready again (asked for anew: the run will reuse its output if it has one);
   * one that is ready or leased is left alone.
   */
  enqueue(actions: readonly QueuedAction[]): Promise<void>;
  /**
   * Lease the oldest ready action whose dependencies are all done, or undefined. Postgres
   * uses FOR UPDATE SKIP LOCKED; SQLite an immediate transaction.
   */
  claim(owner: string, times: LeaseTimes): Promise<ClaimedAction | undefined>;
  /** Extend a lease; false when it is no longer ours (it expired and was reset). */
  heartbeat(fingerprint: string, owner: string, times: LeaseTimes): Promise<boolean>;
  /**
   * Give up a lease without recording anything (a worker told to stop): back to ready with
   * no backoff, the attempt not counted. False when it was no longer ours.
   */
  release(fingerprint: string, owner: string): Promise<boolean>;
  /**
   * Return expired leases to the queue (attempt counted, with backoff), or fail them once
   * they have used max attempts; dependents of a failed action fail with it.
   */
  resetExpired(times: LeaseTimes): Promise<number>;
  /** Rows for these fingerprints (any order), or every row when omitted. */
  rows(fingerprints?: readonly string[]): Promise<QueueRow[]>;
  counts(): Promise<Record<QueueState, number>>;
  /** Leased rows: what each worker is doing now. */
  leased(): Promise<QueueRow[]>;
  registerWorker(w: {
    id: string;
    host: string;
    pid: number;
    concurrency: number;
    leaseSeconds: number;
    joinedSeq: number;
    joinedHash: string;
  }): Promise<void>;
  /** Heartbeat of the worker itself (its leases have their own). */
  workerHeartbeat(id: string): Promise<void>;
  stopWorker(id: string): Promise<void>;
  workers(): Promise<WorkerInfo[]>;
}

/**
 * An append under a lease: the store checks in the append's own transaction that the queue
 * row of entry.fingerprint is leased by `owner`. A 'succeeded' or 'reused' entry then
 * completes the row and a 'failed' one fails it (retry with backoff, or failed for good),
 * so an action's result and the release of its lease commit together or not at all.
 */
export interface LeaseGuard {
  readonly owner: string;
  readonly times: LeaseTimes;
  /** A failure that no retry can fix (its time budget ran out): the row fails for good at once. */
  readonly final?: boolean;
}

/**
 * The lease was lost (it expired and was reset, maybe claimed by another worker, or the
 * action is already done): nothing was appended. The worker drops the action; whoever holds
 * the lease now commits it. This is what keeps two workers from both committing a result.
 */
export class LeaseLostError extends FathomError {
  constructor(fingerprint: string, owner: string, found: { state: string; owner: string | null } | undefined) {
    const now =
      found === undefined ? 'it is not in the queue' : `it is ${found.state}${found.owner ? ` by ${found.owner}` : ''}`;
    super('failed', `worker ${owner} no longer holds the lease on action ${fingerprint.slice(0, 12)}…: ${now}`, {
      hint: 'nothing was recorded; another worker owns or finished the action',
      context: { fingerprint, owner },
    });
    this.name = 'LeaseLostError';
  }
}

export const DEFAULT_MAX_ATTEMPTS = 5;
