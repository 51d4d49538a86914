import type { Workspace } from '../workspace/open-workspace.js';
import { bulkAccept } from './bulk-accept.js';
import type { Recorded } from './metadata-state.js';
import { pendingProposals, type Proposal } from './proposals.js';
import { decide, loadReview, type ReviewState } from './review-workspace.js';

/** The review so far and what is left to decide. */
export interface PendingReview extends ReviewState {
  /** Undecided proposals, least confident first. */
  readonly pending: readonly Proposal[];
  readonly metadataVersion: number;
}

/** What exploration proposed that nobody decided yet; exploration must have run. */
export async function pendingReview(ws: Workspace): Promise<PendingReview> {
  const state = await loadReview(ws);
  return { ...state, pending: pendingProposals(state.catalog), metadataVersion: state.catalog.metadataVersion ?? 0 };
}

export interface AcceptedProposals extends Recorded {
  /** How many proposals were accepted. */
  readonly accepted: number;
  /** How many are left for a person. */
  readonly pending: number;
}

/**
 * Accept, as one ledger action, every pending proposal at least `threshold` confident (0: all
 * of them), confirming one target at most (see bulkAccept); the rest stay pending.
 */
export async function acceptProposals(
  ws: Workspace,
  threshold: number,
  who: { readonly env: NodeJS.ProcessEnv },
): Promise<AcceptedProposals> {
  const { pending, ...state } = await pendingReview(ws);
  const { accepted, decisions } = bulkAccept(state.catalog, pending, threshold);
  const recorded = await decide(ws, state, decisions, { via: 'review', env: who.env });
  return { ...recorded, accepted: accepted.length, pending: pending.length - accepted.length };
}
