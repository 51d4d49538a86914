import { entryHash, GENESIS_HASH, type EntryBody } from './entry-hash.js';
import { createReplay, replayEntry, type Replay } from './projection-replay.js';
import type { StatePatch, VerifyProblem } from './ledger-store.js';

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
    problem(
      `hash ${short(row.hash)} does not match its body (recomputed ${short(recomputed)}); the body or hash was altered`,
    );
  }
  const body = parseBody(row.body);
  if (typeof body === 'string') problem(body);
  else {
    if (body.seq !== row.seq) problem(`body says seq ${String(body.seq)} but the row is seq ${row.seq}`);
    for (const field of COPIED) {
      if (body[field] !== row[field]) {
        problem(
          `indexed column ${field} is ${JSON.stringify(row[field])} but the body says ${JSON.stringify(body[field])}`,
        );
      }
    }
    replayEntry(state.replay, { seq: row.seq, status: body.status, patches: body.patches });
  }
  state.lastSeq = row.seq;
  state.lastHash = row.hash;
}

/**
 * The body as an entry, or why it is not one. A tampered body can be any JSON; verify must
 * report it, not throw on it, and only well-formed patches can be replayed.
 */
function parseBody(text: string): EntryBody | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return `body is not valid JSON: ${(err as Error).message}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'body is not a JSON object';
  const patches = (parsed as { patches?: unknown }).patches;
  if (!Array.isArray(patches)) return 'body has no patches array';
  const bad = patches.findIndex(
    (p: unknown) =>
      p === null ||
      typeof p !== 'object' ||
      typeof (p as StatePatch).collection !== 'string' ||
      typeof (p as StatePatch).key !== 'string',
  );
  if (bad >= 0) return `body patch ${bad} is not {collection, key, value}`;
  return parsed as EntryBody;
}

/**
 * The head row is written in the same transaction as every append, so a log that ends
 * before it (truncated tail) or runs past it (rows inserted around the store) is broken.
 */
export function checkEnd(state: ChainState, head: { readonly seq: number; readonly hash: string } | null): void {
  if (head === null) {
    state.firstProblem ??= {
      seq: state.lastSeq,
      reason: `the head row is missing, so nothing vouches for where the log ends (seq ${state.lastSeq} by the log)`,
    };
  } else if (state.lastSeq < head.seq) {
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
