import type { Catalog } from '../../catalog/catalog.js';
import type { ReviewedFacts } from '../../catalog/reviewed-facts.js';
import { reviewedFactsOf } from '../../catalog/reviewed-facts-of.js';
import type { Decision } from '../../metadata/decision.js';
import { pendingProposals } from '../../metadata/proposals.js';
import { bulkAccept } from '../../metadata/bulk-accept.js';
import { tagDecisions } from '../../metadata/tag-decisions.js';
import { FathomError } from '../../util/fathom-error.js';
import type { PipelineGoals } from '../pipeline-goals.js';
import type { Explored } from './derive-explore.js';
import type { PlanBuilder } from './plan-builder.js';

/** What the planning process records when it passes the review gate or takes a --target. */
export interface DecisionWork {
  readonly decisions: readonly Decision[];
  readonly via: 'review' | 'tag';
}

export interface Reviewed {
  /** The node downstream work waits for: the gate (or the target decision), when there is one. */
  readonly gate: string | null;
  /** Whether work that reads the reviewed metadata can be planned now (the person's decisions are in). */
  readonly open: boolean;
  /** The facts downstream work relies on, when a target is confirmed. */
  readonly facts: ReviewedFacts | null;
}

/**
 * The metadata review: a --target becomes a decision, then the gate, which waits for a
 * person unless the run approved ahead of time (accepting every proposal, or those above a
 * confidence). Downstream work reads the reviewed facts, so it can be planned once the gate
 * has passed. A person who reviewed at the prompt in this run passes it, even with proposals
 * left for later, as long as a target is confirmed.
 */
export function deriveReview(
  b: PlanBuilder,
  goals: Pick<PipelineGoals, 'review' | 'target'>,
  explored: Explored,
  personActed: boolean,
): Reviewed {
  const deps = explored.relate ? [explored.relate.id] : [];
  const catalog = explored.catalog;
  const confirmed = catalog.targets.find((t) => t.status === 'confirmed') ?? null;
  let targetNode: string | null = null;
  if (goals.target) {
    const want = goals.target;
    targetNode = `metadata.target ${want.table}.${want.column}`;
    const same = confirmed !== null && confirmed.table === want.table && confirmed.column === want.column;
    const decisions = same || explored.provisional ? null : targetDecisions(catalog, `${want.table}.${want.column}`);
    b.here({
      id: targetNode,
      step: 'review',
      kind: 'metadata.review',
      state: same ? 'reused' : explored.provisional ? 'blocked' : 'ready',
      reason: same
        ? null
        : explored.provisional
          ? 'waits for exploration'
          : `record ${want.table}.${want.column} as the target`,
      deps,
      ...(decisions && !('error' in decisions) ? { work: { decisions, via: 'tag' } satisfies DecisionWork } : {}),
    });
    if (decisions && 'error' in decisions) b.fail(targetNode, decisions.error.message, decisions.error.hint ?? '');
  }
  const upstream = targetNode ? [...deps, targetNode] : deps;
  if (goals.review === null) {
    // Without a gate, downstream work is planned on the catalog as it is (provisionally, while
    // exploration runs again first).
    const open = targetNode === null || b.done(targetNode);
    return { gate: targetNode, open, facts: open && confirmed ? reviewedFactsOf(catalog) : null };
  }
  const id = 'gate.review';
  const pending = pendingProposals(catalog);
  const node = (state: 'reused' | 'ready' | 'waiting-for-gate' | 'blocked', reason: string, work?: DecisionWork) =>
    b.here({
      id,
      step: 'review',
      kind: 'gate.review',
      state,
      reason,
      deps: upstream,
      gate: 'review',
      provisional: explored.provisional || upstream.some((d) => !b.done(d)),
      ...(work ? { work } : {}),
    });
  // While exploration runs again first, the gate is judged on the catalog as it was (provisional).
  if (catalog.tables.length === 0) node('blocked', `waits for ${upstream.find((d) => !b.done(d)) ?? 'exploration'}`);
  else if (pending.length === 0 && confirmed)
    node('reused', `passed: ${confirmed.table}.${confirmed.column} is the confirmed target`);
  else if (goals.review.accept !== 'none') {
    const t = goals.review.accept === 'all' ? 0 : goals.review.accept;
    const flag = goals.review.accept === 'all' ? '--yes' : `--accept-above ${t}`;
    const { accepted, decisions } = bulkAccept(catalog, pending, t);
    const target = confirmed ?? accepted.find((p) => p.fact === 'target');
    if (!target) node('waiting-for-gate', noTarget);
    else if (decisions.length > 0) {
      node('ready', `${flag} accepts ${decisions.length} of the ${pending.length} pending proposals`, {
        decisions,
        via: 'review',
      });
    } else node('reused', `passed: ${pending.length} proposals below ${t} are left for fathom review`);
  } else if (personActed && confirmed) node('reused', `reviewed now; ${pending.length} proposals are left for later`);
  else if (pending.length === 0) node('waiting-for-gate', noTarget);
  else {
    node(
      'waiting-for-gate',
      `${pending.length} proposals wait for a person: fathom review (or run again with --yes / --accept-above 0.9)`,
    );
  }
  const open = b.done(id);
  return { gate: id, open, facts: open && confirmed ? reviewedFactsOf(catalog) : null };
}

const noTarget = 'no target is confirmed: pass --target TABLE.COLUMN, or confirm one with fathom review';

function targetDecisions(catalog: Catalog, subject: string): readonly Decision[] | { error: FathomError } {
  try {
    return tagDecisions(catalog, subject, { target: true });
  } catch (thrown) {
    if (thrown instanceof FathomError) return { error: thrown };
    throw thrown;
  }
}
