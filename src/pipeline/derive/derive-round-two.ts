import { planAction, type PlannedAction } from '../../orchestrate/plan.js';
import { insightParams } from '../../explore/round-two/insight-params.js';
import type { Explored } from './derive-explore.js';
import type { Reviewed } from './derive-review.js';
import type { PlanBuilder } from './plan-builder.js';

/**
 * Round two (`explore.insight`): exploration again, knowing the confirmed target, over every
 * profile and the relationships. Its params are the reviewed facts, so it waits for the review
 * gate when there is one; without a confirmed target there is none.
 */
export function deriveRoundTwo(
  b: PlanBuilder,
  explored: Explored,
  reviewed: Reviewed,
  gated: boolean,
): { id: string; action: PlannedAction } | null {
  const id = 'explore.insight';
  if (!reviewed.facts || !explored.relate) {
    if (gated && !reviewed.open) b.pending({ id, step: 'round two', kind: id, deps: [reviewed.gate ?? 'gate.review'] });
    return null;
  }
  const profiles = [...explored.profiles.values()];
  const params = insightParams(reviewed.facts, profiles);
  if (!params) return null;
  const inputs = [...profiles.map((p) => p.action), explored.relate.action];
  const action = planAction(b.kind(id), params, inputs, { metadataVersion: reviewed.facts.metadataVersion });
  const ids = [...profiles.map((p) => p.id), explored.relate.id];
  b.queued({
    id,
    step: 'round two',
    action,
    deps: [...ids, ...(reviewed.gate ? [reviewed.gate] : [])],
    inputs: ids.map((node) => ({ node })),
    provisional: explored.provisional,
  });
  return { id, action };
}
