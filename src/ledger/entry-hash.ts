import { canonicalJson, sha256 } from '../util/hash.js';
import { badInput } from '../util/fathom-error.js';
import type { EntryInput, EntryStatus, LogEntry, StatePatch } from './ledger-store.js';

/**
 * How a log entry is serialised and hashed, shared by every store so that a ledger moved
 * between stores verifies the same. The body is the canonical JSON of every field except the
 * two hashes; hash = sha256(prevHash + body). The first entry's prevHash is GENESIS_HASH.
 */

export const GENESIS_HASH = '0'.repeat(64);

export const ENTRY_STATUSES: readonly EntryStatus[] = ['started', 'succeeded', 'failed', 'reused', 'recorded'];

export type EntryBody = Omit<LogEntry, 'prevHash' | 'hash'>;

/** What a store writes: the body text plus the copies it indexes. */
export interface SealedEntry {
  readonly entry: LogEntry;
  readonly body: string;
}

export function entryHash(prevHash: string, body: string): string {
  return sha256(prevHash + body);
}

/**
 * Validate an input and give it a seq, a timestamp and its place in the chain. The returned
 * entry is parsed back from the canonical body, so what the caller gets is exactly what a
 * later reader (or verify) will see: dates become strings, undefined members disappear.
 */
export function sealEntry(input: EntryInput, seq: number, at: string, prevHash: string): SealedEntry {
  validateInput(input);
  const body: EntryBody = {
    seq,
    at,
    kind: input.kind,
    status: input.status,
    fingerprint: input.fingerprint ?? null,
    params: input.params ?? null,
    inputs: input.inputs ?? [],
    output: input.output ?? null,
    error: input.error ?? null,
    workerId: input.workerId,
    metadataVersion: input.metadataVersion ?? null,
    detail: input.detail ?? null,
    // `undefined` would vanish from the canonical body; null is the documented delete.
    patches: (input.patches ?? []).map((p) => ({ collection: p.collection, key: p.key, value: p.value ?? null })),
  };
  const text = canonicalJson(body);
  return { entry: parseEntry(text, prevHash, entryHash(prevHash, text)), body: text };
}

export function parseEntry(body: string, prevHash: string, hash: string): LogEntry {
  const parsed = JSON.parse(body) as EntryBody;
  return { ...parsed, prevHash, hash };
}

function validateInput(input: EntryInput): void {
  const where = `ledger entry (kind '${String(input.kind)}')`;
  if (typeof input.kind !== 'string' || input.kind === '') {
    throw badInput('ledger entry has no kind', 'pass a non-empty kind such as "explore.profile"');
  }
  if (!ENTRY_STATUSES.includes(input.status)) {
    throw badInput(`${where} has status '${String(input.status)}'`, `use one of ${ENTRY_STATUSES.join(', ')}`);
  }
  if (typeof input.workerId !== 'string' || input.workerId === '') {
    throw badInput(`${where} has no workerId`, 'pass the id of the worker that did the work');
  }
  if (input.metadataVersion != null && !Number.isSafeInteger(input.metadataVersion)) {
    throw badInput(`${where} has metadataVersion ${String(input.metadataVersion)}`, 'use an integer');
  }
  for (const p of input.patches ?? []) validatePatch(p, where);
}

function validatePatch(p: StatePatch, where: string): void {
  if (typeof p.collection !== 'string' || p.collection === '' || typeof p.key !== 'string') {
    throw badInput(
      `${where} has a patch with collection '${String(p.collection)}' and key '${String(p.key)}'`,
      'a patch needs a non-empty string collection and a string key',
    );
  }
}
