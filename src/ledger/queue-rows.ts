import type { ClaimedAction, QueueRow, QueueState, WorkerInfo } from './work-queue.js';

/** Queue rows as both stores return them (Postgres gives bigint as text and times as Date). */
export interface ClaimRow {
  fingerprint: string;
  kind: string;
  version: string;
  params: string;
  inputs: string;
  metadata_version: number | string | null;
  attempts: number;
  max_attempts: number;
  stop_at_ms?: number | string | null;
}

export function claimed(row: ClaimRow, dependsOn: string[], stopAt = row.stop_at_ms): ClaimedAction {
  return {
    fingerprint: row.fingerprint,
    kind: row.kind,
    version: row.version,
    params: JSON.parse(row.params) as unknown,
    inputs: JSON.parse(row.inputs) as string[],
    dependsOn,
    metadataVersion: row.metadata_version === null ? null : Number(row.metadata_version),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    stopAt: stopAt == null ? null : Number(stopAt),
  };
}

export function queueRow(r: Record<string, unknown>): QueueRow {
  return {
    fingerprint: String(r.fingerprint),
    kind: String(r.kind),
    state: r.state as QueueState,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    leaseOwner: (r.lease_owner as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
  };
}

export function workerInfo(r: Record<string, unknown>): WorkerInfo {
  const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
  return {
    id: String(r.id),
    host: String(r.host),
    pid: Number(r.pid),
    concurrency: Number(r.concurrency),
    leaseSeconds: Number(r.lease_seconds),
    joinedSeq: Number(r.joined_seq),
    joinedHash: String(r.joined_hash),
    startedAt: iso(r.started_at),
    heartbeatAt: iso(r.heartbeat_at),
    heartbeatAgeS: Number(r.heartbeat_age_s),
    stoppedAt: r.stopped_at == null ? null : iso(r.stopped_at),
  };
}
