import { canonicalJson } from '../util/hash.js';
import { checksumOfDigests, rowDigestFromJson } from './projection-checksum.js';
import type { StatePatch } from './ledger-store.js';

/**
 * Replaying log entries into the projected state, in memory. Shared by every store's
 * verify (compare with the stored state) and rebuild (write it back). Values are kept as
 * canonical JSON text, which is what the stores keep too, so comparing is a string compare.
 */

export interface ProjectedRow {
  readonly collection: string;
  readonly key: string;
  readonly valueJson: string;
  /** The entry that last wrote this row. */
  readonly seq: number;
}

export interface Replay {
  /** Keyed by projectionKey(collection, key). */
  readonly rows: Map<string, ProjectedRow>;
  readonly countsByStatus: Record<string, number>;
}

export function createReplay(): Replay {
  return { rows: new Map(), countsByStatus: {} };
}

// JSON of the pair, not a join with a separator: collections and keys are arbitrary strings
// (keys come from table and column names) and may contain any separator.
export function projectionKey(collection: string, key: string): string {
  return JSON.stringify([collection, key]);
}

export function replayEntry(
  replay: Replay,
  entry: { readonly seq: number; readonly status: string; readonly patches: readonly StatePatch[] },
): void {
  replay.countsByStatus[entry.status] = (replay.countsByStatus[entry.status] ?? 0) + 1;
  for (const p of entry.patches) {
    const id = projectionKey(p.collection, p.key);
    if (p.value === null || p.value === undefined) replay.rows.delete(id);
    else
      replay.rows.set(id, { collection: p.collection, key: p.key, valueJson: canonicalJson(p.value), seq: entry.seq });
  }
}

export function replayChecksum(replay: Replay): string {
  const digests = function* () {
    for (const r of replay.rows.values()) yield rowDigestFromJson(r.collection, r.key, r.valueJson);
  };
  return checksumOfDigests(digests());
}

/** Counts as stored: keys sorted so equal counts give equal JSON. */
export function countsJson(counts: Readonly<Record<string, number>>): string {
  return canonicalJson(counts);
}

export interface StoredStateRow {
  readonly collection: string;
  readonly key: string;
  /** Canonical JSON text as stored. */
  readonly value: string;
  readonly seq: number;
}

/**
 * Compare the replayed state with the stored one. Lists at most `limit` differences, each
 * naming the collection and key, so a tampered or stale row can be found by hand.
 */
export async function diffProjection(
  replay: Replay,
  stored: Iterable<StoredStateRow> | AsyncIterable<StoredStateRow>,
  limit = 20,
): Promise<string[]> {
  const diffs: string[] = [];
  let more = 0;
  const note = (msg: string): void => {
    if (diffs.length < limit) diffs.push(msg);
    else more += 1;
  };
  const seen = new Set<string>();
  for await (const row of stored) {
    const id = projectionKey(row.collection, row.key);
    seen.add(id);
    const want = replay.rows.get(id);
    const where = `state ${row.collection}/${row.key}`;
    if (want === undefined) note(`${where} (written by seq ${row.seq}) is not produced by the log`);
    else if (want.valueJson !== row.value) {
      note(`${where} is ${clip(row.value)} but replaying the log gives ${clip(want.valueJson)} (seq ${want.seq})`);
    } else if (want.seq !== row.seq)
      note(`${where} says it was written by seq ${row.seq}, the log says seq ${want.seq}`);
  }
  for (const [id, want] of replay.rows) {
    if (!seen.has(id))
      note(`state ${want.collection}/${want.key} is missing; seq ${want.seq} wrote ${clip(want.valueJson)}`);
  }
  if (more > 0) diffs.push(`… and ${more} more differences`);
  return diffs;
}

function clip(json: string): string {
  return json.length <= 80 ? json : `${json.slice(0, 77)}...`;
}
