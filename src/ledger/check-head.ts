import { entryHash } from './entry-hash.js';
import type { VerifyProblem } from './ledger-store.js';
import type { StoredEntryRow } from './verify-chain.js';

export interface HeadRow {
  readonly seq: number;
  readonly hash: string;
  readonly projectionChecksum: string;
  readonly countsByStatus: Readonly<Record<string, number>>;
}

/**
 * The O(1) join check shared by every store: two rows read by primary key (the head and the
 * log entry it names). It catches a missing head, a truncated or overrun tail, an altered
 * last entry and a damaged checksum; damage further back needs the O(n) verify.
 */
export function checkHeadRow(
  head: HeadRow | null,
  last: StoredEntryRow | undefined,
  newer: boolean,
): VerifyProblem | null {
  if (head === null) return { seq: 0, reason: 'the head row is missing, so nothing vouches for where the log ends' };
  if (newer) return { seq: head.seq + 1, reason: `entries after seq ${head.seq} are not in the head` };
  if (head.seq === 0)
    return last === undefined
      ? null
      : { seq: last.seq, reason: `the head says the log is empty but entry ${last.seq} exists` };
  if (last === undefined || last.seq !== head.seq) {
    return { seq: head.seq, reason: `entry ${head.seq} is missing: the head says the log ends there` };
  }
  const recomputed = entryHash(last.prevHash, last.body);
  if (recomputed !== last.hash) {
    return {
      seq: last.seq,
      reason: `hash ${last.hash.slice(0, 12)}… does not match its body (recomputed ${recomputed.slice(0, 12)}…); the body or hash was altered`,
    };
  }
  if (last.hash !== head.hash)
    return {
      seq: last.seq,
      reason: `the head hash ${head.hash.slice(0, 12)}… differs from the hash of seq ${last.seq}`,
    };
  if (!/^[0-9a-f]{64}$/.test(head.projectionChecksum)) {
    return {
      seq: head.seq,
      reason: `the head's projection checksum '${head.projectionChecksum}' is not 64 hex digits`,
    };
  }
  const counted = Object.values(head.countsByStatus).reduce((a, b) => a + b, 0);
  if (counted !== head.seq)
    return { seq: head.seq, reason: `the head counts ${counted} entries by status but its seq is ${head.seq}` };
  return null;
}
