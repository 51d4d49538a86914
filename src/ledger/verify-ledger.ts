import { checkEnd, checkRow, createChainState, type StoredEntryRow } from './verify-chain.js';
import { countsJson, diffProjection, replayChecksum, type StoredStateRow } from './projection-replay.js';
import type { VerifyReport } from './ledger-store.js';

/** What a store hands to verify: one consistent snapshot of its head, log and state. */
export interface VerifySource {
  /** null when the head row is gone: reported, not thrown. */
  readonly head: {
    readonly seq: number;
    readonly hash: string;
    readonly projectionChecksum: string;
    readonly countsByStatus: Readonly<Record<string, number>>;
  } | null;
  /** Every log row in seq order. Streamed: verify holds only the replayed state in memory. */
  readonly entries: Iterable<StoredEntryRow> | AsyncIterable<StoredEntryRow>;
  /** Opened after `entries` is exhausted; some drivers allow one open cursor at a time. */
  readonly state: () => Iterable<StoredStateRow> | AsyncIterable<StoredStateRow>;
}

/** O(n) full verification shared by every store: chain, head, then projection. */
export async function verifyLedger(source: VerifySource): Promise<VerifyReport> {
  const started = performance.now();
  const chain = createChainState();
  for await (const row of source.entries) checkRow(chain, row);
  checkEnd(chain, source.head);

  const projectionDiff = await diffProjection(chain.replay, source.state());
  const head = source.head;
  const checksum = replayChecksum(chain.replay);
  if (head !== null && checksum !== head.projectionChecksum) {
    projectionDiff.push(`head projection checksum ${head.projectionChecksum} differs from the replayed ${checksum}`);
  }
  const counts = countsJson(chain.replay.countsByStatus);
  if (head !== null && counts !== countsJson(head.countsByStatus)) {
    projectionDiff.push(`head counts ${countsJson(head.countsByStatus)} differ from the log's ${counts}`);
  }
  const projectionOk = projectionDiff.length === 0;
  return {
    ok: chain.firstProblem === null && projectionOk,
    entries: chain.entries,
    headSeq: head?.seq ?? 0,
    firstProblem: chain.firstProblem,
    projectionOk,
    projectionDiff,
    ms: Math.round(performance.now() - started),
  };
}
