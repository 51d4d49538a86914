import type { LedgerStore } from '../ledger/ledger-store.js';
import type { QueueState } from '../ledger/work-queue.js';

export interface WorkerStatus {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  /** 'alive' while it heartbeats; 'dead' when a lease period passed without one; 'stopped' when it exited cleanly. */
  readonly state: 'alive' | 'dead' | 'stopped';
  readonly heartbeatAgeS: number;
  readonly joinedSeq: number;
  /** What it holds leases on now. */
  readonly running: ReadonlyArray<{ kind: string; fingerprint: string; attempts: number }>;
}

export interface QueueStatus {
  readonly counts: Record<QueueState, number>;
  readonly workers: readonly WorkerStatus[];
}

/**
 * The queue and the workers for `fathom status`: counts by state (one grouped query on an
 * indexed column), the workers, and the leased rows (what each worker is doing).
 */
export async function queueStatus(ledger: LedgerStore, recentWorkers = 20): Promise<QueueStatus> {
  const [counts, workers, leased] = await Promise.all([
    ledger.queue.counts(),
    ledger.queue.workers(),
    ledger.queue.leased(),
  ]);
  return {
    counts,
    workers: workers.slice(0, recentWorkers).map((w) => ({
      id: w.id,
      host: w.host,
      pid: w.pid,
      // It beats three times per lease period; a whole period of silence means it is gone.
      state: w.stoppedAt !== null ? 'stopped' : w.heartbeatAgeS > w.leaseSeconds ? 'dead' : 'alive',
      heartbeatAgeS: Math.round(w.heartbeatAgeS * 10) / 10,
      joinedSeq: w.joinedSeq,
      running: leased
        .filter((r) => r.leaseOwner === w.id)
        .map((r) => ({ kind: r.kind, fingerprint: r.fingerprint, attempts: r.attempts })),
    })),
  };
}
