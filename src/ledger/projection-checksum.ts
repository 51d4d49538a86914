import { canonicalJson, sha256 } from '../util/hash.js';

/**
 * Order-independent checksum of the projected state, maintained incrementally: the sum mod
 * 2^256 of sha256(canonicalJson([collection, key, value])) over every state row. Adding a row
 * adds its digest, replacing or deleting one subtracts the old digest, so an append costs
 * O(patches) and never re-reads the whole state. Store-independent; the SQLite and Postgres
 * stores keep the result as 64 hex digits in their head row.
 */

const MODULUS = 1n << 256n;

export const EMPTY_CHECKSUM = '0'.repeat(64);

/**
 * Digest of one row from its value's canonical JSON text. Equal to
 * sha256(canonicalJson([collection, key, value])) because strings serialise the same way
 * canonically; taking the text avoids re-serialising values read back from a store.
 */
export function rowDigestFromJson(collection: string, key: string, valueJson: string): string {
  return sha256(`[${JSON.stringify(collection)},${JSON.stringify(key)},${valueJson}]`);
}

export function rowDigest(collection: string, key: string, value: unknown): string {
  return rowDigestFromJson(collection, key, canonicalJson(value));
}

function toBig(hex: string): bigint {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`projection checksum: '${hex}' is not 64 hex digits`);
  return BigInt(`0x${hex}`);
}

function toHex(n: bigint): string {
  return (((n % MODULUS) + MODULUS) % MODULUS).toString(16).padStart(64, '0');
}

/** checksum + digest mod 2^256 (a row was added). */
export function addDigest(checksum: string, digest: string): string {
  return toHex(toBig(checksum) + toBig(digest));
}

/** checksum - digest mod 2^256 (a row was removed, or is about to be replaced). */
export function subtractDigest(checksum: string, digest: string): string {
  return toHex(toBig(checksum) - toBig(digest));
}

/** Checksum of a whole set of digests, e.g. after a replay. */
export function checksumOfDigests(digests: Iterable<string>): string {
  let sum = 0n;
  for (const d of digests) sum += toBig(d);
  return toHex(sum);
}

/**
 * Apply one replacement to a checksum: subtract the old row (if there was one), add the new
 * (if it was not deleted). `null` means "no row".
 */
export function replaceRow(checksum: string, oldDigest: string | null, newDigest: string | null): string {
  let sum = toBig(checksum);
  if (oldDigest !== null) sum -= toBig(oldDigest);
  if (newDigest !== null) sum += toBig(newDigest);
  return toHex(sum);
}
