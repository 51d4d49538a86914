import { badInput } from '../util/fathom-error.js';
import type { EntryInput } from './ledger-store.js';
import { LeaseLostError, type LeaseGuard } from './work-queue.js';

/** What a guarded append does to the queue row, by the status it records. */
export type LeaseRelease = 'keep' | 'complete' | 'fail';

/**
 * The store-independent half of a guarded append: which fingerprint, whether the lease is
 * held (from the row the store read, locked, in its append transaction), and what to do with
 * the row after the entry is written.
 */
export function leaseRelease(
  entry: EntryInput,
  guard: LeaseGuard,
  row: { state: string; lease_owner: string | null } | undefined,
): {
  fingerprint: string;
  release: LeaseRelease;
} {
  const fingerprint = entry.fingerprint;
  if (fingerprint == null)
    throw badInput(
      `a leased append (kind '${entry.kind}') has no fingerprint`,
      'pass the fingerprint of the leased action',
    );
  if (row === undefined || row.state !== 'leased' || row.lease_owner !== guard.owner) {
    throw new LeaseLostError(
      fingerprint,
      guard.owner,
      row === undefined ? undefined : { state: row.state, owner: row.lease_owner },
    );
  }
  const release: LeaseRelease =
    entry.status === 'succeeded' || entry.status === 'reused'
      ? 'complete'
      : entry.status === 'failed'
        ? 'fail'
        : 'keep';
  return { fingerprint, release };
}
