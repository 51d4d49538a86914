import type { LedgerHead, LedgerStore, LogEntry } from './ledger-store.js';

export interface StatusReport {
  readonly project: string;
  readonly root: string;
  readonly head: LedgerHead;
  readonly sources: ReadonlyArray<{ name: string; kind: string; tables: number }>;
  readonly recent: ReadonlyArray<{ seq: number; at: string; kind: string; status: string; summary: string }>;
}

/** A one-line human summary of a log entry, safe to print (entries never hold secrets). */
export function summarizeEntry(e: LogEntry): string {
  if (e.error) return `error: ${e.error.split('\n')[0]!.slice(0, 100)}`;
  const detail = e.detail as { message?: unknown } | null;
  if (detail && typeof detail.message === 'string') return detail.message;
  return e.fingerprint ? `fp ${e.fingerprint.slice(0, 12)}` : '';
}

/**
 * The status a joining machine reads cheaply: the head row (hash, checksum, counts) plus the
 * newest few entries by index and the small sources collection; no scan of the log.
 */
export async function workspaceStatus(
  ledger: LedgerStore,
  where: { project: string; root: string },
  recentCount = 8,
): Promise<StatusReport> {
  const [head, recent, sources] = await Promise.all([
    ledger.head(),
    ledger.entries({ descending: true, limit: recentCount }),
    ledger.listState<{ kind: string; tables?: unknown[] }>('sources'),
  ]);
  return {
    ...where,
    head,
    sources: sources.map((s) => ({ name: s.key, kind: s.value.kind, tables: s.value.tables?.length ?? 0 })),
    recent: recent.map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, status: e.status, summary: summarizeEntry(e) })),
  };
}
