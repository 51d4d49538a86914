import type { LedgerStore, VerifyReport } from './ledger-store.js';

/**
 * Verify the whole ledger in O(n) (`fathom verify`): the hash chain, the head, and the
 * projection against a replay of the log. With `rebuild`, a projection that is wrong over an
 * intact chain is rebuilt from the log and verified again; a broken chain never is: replaying
 * a broken log would bless whatever it now says.
 */
export async function verifyOrRebuild(
  ledger: LedgerStore,
  options: { readonly rebuild?: boolean } = {},
): Promise<VerifyReport & { readonly rebuilt: boolean }> {
  const report = await ledger.verify();
  const rebuilt = !report.ok && !report.firstProblem && options.rebuild === true;
  if (!rebuilt) return { ...report, rebuilt };
  await ledger.rebuildProjections();
  return { ...(await ledger.verify()), rebuilt };
}
