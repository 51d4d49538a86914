import type { EntryStatus, LedgerStore, LogEntry } from './ledger-store.js';

export interface LogPageQuery {
  readonly kind?: string;
  readonly status?: EntryStatus;
  readonly limit: number;
  /** Page backwards: entries older than this seq, newest first (the default direction). */
  readonly before?: number;
  /** Page forwards: entries newer than this seq, oldest first (0: from the start). */
  readonly after?: number;
}

export interface LogPage {
  readonly entries: readonly LogEntry[];
  /** The cursor of the next page in the same direction; null when nothing follows. */
  readonly next: { readonly after: number } | { readonly before: number } | null;
}

/** One page of the action log (`fathom log`), filtered by kind and status, with its cursor. */
export async function logPage(ledger: LedgerStore, q: LogPageQuery): Promise<LogPage> {
  const forward = q.after !== undefined;
  // One entry more than the page, so `next` is null exactly when nothing follows
  // (a page that happens to end the log must not send a script to an empty one).
  const fetched = await ledger.entries({
    limit: q.limit + 1,
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(forward ? { afterSeq: q.after } : { descending: true }),
    ...(q.before !== undefined ? { beforeSeq: q.before } : {}),
  });
  const entries = fetched.slice(0, q.limit);
  const last = entries[entries.length - 1];
  const next = fetched.length <= q.limit || !last ? null : forward ? { after: last.seq } : { before: last.seq };
  return { entries, next };
}
