import { entryHash, GENESIS_HASH, type EntryBody } from './entry-hash.js';
import { createReplay, replayEntry, type Replay } from './projection-replay.js';
import type { VerifyProblem } from './ledger-store.js';

/**
 * The chain half of verify, independent of the store: a store streams its log rows in seq
 * order through `checkRow`, then calls `checkEnd` with its head. Only the first problem is
 * kept (everything after a break is suspect anyway), but every entry that still parses is
 * replayed so the projection can be compared as well.
 */

/** A log row as stored: the body plus the columns copied out of it for indexing. */
export interface StoredEntryRow {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly status: string;
  readonly fingerprint: string | null;
  readonly workerId: string;
  readonly metadataVersion: number | null;
  readonly body: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface ChainState {
  entries: number;
  lastSeq: number;
  lastHash: string;
  firstProblem: VerifyProblem | null;
  readonly replay: Replay;
}

export function createChainState(): ChainState {
  return { entries: 0, lastSeq: 0, lastHash: GENESIS_HASH, firstProblem: null, replay: createReplay() };
}

const COPIED = ['at', 'kind', 'status', 'fingerprint', 'workerId', 'metadataVersion'] as const;

export function checkRow(state: ChainState, row: StoredEntryRow): void {
  const expected = state.lastSeq + 1;
  const problem = (reason: string, seq = row.seq): void => {
    state.firstProblem ??= { seq, reason };
  };
  state.entries += 1;
  if (row.seq !== expected) {
    problem(
      row.seq > expected
        ? `entry ${expected} is missing: the log jumps from seq ${state.lastSeq} to ${row.seq}`
        : `seq ${row.seq} follows seq ${state.lastSeq}; the log is out of order`,
      expected,
    );
  }
  if (row.prevHash !== state.lastHash) {
    problem(`prev_hash ${short(row.prevHash)} is not the hash of seq ${state.lastSeq} (${short(state.lastHash)})`);
  }
  const recomputed = entryHash(row.prevHash, row.body);
  if (recomputed !== row.hash) {
    problem(`hash ${short(row.hash)} does not match its body (recomputed ${short(recomputed)}); the body or hash was altered`);
  }
  let body: EntryBody | undefined;
  try {
    body = JSON.parse(row.body) as EntryBody;
  } catch (err) {
    problem(`body is not valid JSON: ${(err as Error).message}`);
  }
  if (body !== undefined) {
    if (body.seq !== row.seq) problem(`body says seq ${String(body.seq)} but the row is seq ${row.seq}`);
    for (const field of COPIED) {
      if (body[field] !== row[field]) {
        problem(`indexed column ${field} is ${JSON.stringify(row[field])} but the body says ${JSON.stringify(body[field])}`);
      }
    }
    if (Array.isArray(body.patches)) replayEntry(state.replay, { seq: row.seq, status: body.status, patches: body.patches });
    else problem('body has no patches array');
  }
  state.lastSeq = row.seq;
  state.lastHash = row.hash;
}

/**
 * The head row is written in the same transaction as every append, so a log that ends
 * before it (truncated tail) or runs past it (rows inserted around the store) is broken.
 */
export function checkEnd(state: ChainState, head: { readonly seq: number; readonly hash: string }): void {
  if (state.lastSeq < head.seq) {
    state.firstProblem ??= {
      seq: state.lastSeq + 1,
      reason: `entry ${state.lastSeq + 1} is missing: the head says the log ends at seq ${head.seq} (hash ${short(head.hash)}) but it ends at seq ${state.lastSeq}`,
    };
  } else if (state.lastSeq > head.seq) {
    state.firstProblem ??= {
      seq: head.seq + 1,
      reason: `entries after seq ${head.seq} are not in the head; the log runs to seq ${state.lastSeq}`,
    };
  } else if (state.lastHash !== head.hash) {
    state.firstProblem ??= {
      seq: head.seq,
      reason: `the head hash ${short(head.hash)} differs from the hash of seq ${head.seq} (${short(state.lastHash)})`,
    };
  }
}

function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}
