import { planAction } from '../../orchestrate/plan.js';
import type { DerivedPlan } from '../plan-node.js';
import type { PipelineGoals } from '../pipeline-goals.js';
import type { PipelineState } from '../pipeline-state.js';
import { insightParams } from '../../explore/round-two/insight-params.js';
import { confirmedTargetOf } from '../../metadata/review-of-table.js';
import { deriveExplore } from './derive-explore.js';
import { deriveReview } from './derive-review.js';
import { deriveFeatures } from './derive-features.js';
import { deriveTrain } from './derive-train.js';
import { deriveDeploy } from './derive-deploy.js';
import { PlanBuilder, type BuiltNode } from './plan-builder.js';

/** What a person did in this run that the goals cannot say: they reviewed at the prompt. */
export interface PlanContext {
  readonly reviewedNow?: boolean;
}

export interface Derived extends DerivedPlan {
  readonly nodes: readonly BuiltNode[];
}

/**
 * The planner: from the goals and the state, the DAG of the work they need, every node with
 * its state. Pure: the state holds everything it reads (and `wants` names the action records
 * and outputs it would read next; the loader fetches them and asks again). Exploration, then
 * the review gate, round two, the feature set, training and the registry, each part derived
 * from the outputs of the part before, exactly where they exist and provisionally where an
 * upstream node runs again first.
 */
export function derivePlan(goals: PipelineGoals, state: PipelineState, ctx: PlanContext = {}): Derived {
  const b = new PlanBuilder(state);
  const training = goals.train;
  // Training reads the feature matrix when it trains the confirmed target (the matrix is its features).
  const confirmed = confirmedTargetOf(state.tags);
  const trainsConfirmed =
    training !== null &&
    (training.table === undefined ||
      (confirmed !== null &&
        training.table === confirmed.table &&
        training.column === confirmed.column &&
        (training.source === undefined || training.source === confirmed.source)));
  const needsFeatures = goals.features !== null || (trainsConfirmed && training.features);
  const explore = goals.sources !== null || goals.review !== null || goals.roundTwo || needsFeatures;
  const explored = explore ? deriveExplore(b, goals) : null;
  const reviewed = explored ? deriveReview(b, goals, explored, ctx.reviewedNow === true) : null;
  let insight: { id: string; action: ReturnType<typeof planAction> } | null = null;
  if (explored && reviewed && (goals.roundTwo || needsFeatures)) {
    if (reviewed.facts && explored.relate) {
      const params = insightParams(
        reviewed.facts,
        [...explored.profiles.keys()].map((k) => {
          const [source, ...rest] = k.split('.');
          return { source: source!, table: rest.join('.') };
        }),
      );
      if (params) {
        const inputs = [...[...explored.profiles.values()].map((p) => p.action), explored.relate.action];
        const action = planAction(b.kind('explore.insight'), params, inputs, {
          metadataVersion: reviewed.facts.metadataVersion,
        });
        const ids = [...[...explored.profiles.values()].map((p) => p.id), explored.relate.id];
        b.queued({
          id: 'explore.insight',
          step: 'round two',
          action,
          deps: [...ids, ...(reviewed.gate ? [reviewed.gate] : [])],
          inputs: ids.map((node) => ({ node })),
          provisional: explored.provisional,
        });
        insight = { id: 'explore.insight', action };
      }
    } else if (goals.review !== null && !reviewed.open) {
      b.pending({
        id: 'explore.insight',
        step: 'round two',
        kind: 'explore.insight',
        deps: [reviewed.gate ?? 'gate.review'],
      });
    }
  }
  const features =
    explored && reviewed?.facts?.target && needsFeatures
      ? deriveFeatures(
          b,
          goals.features,
          reviewed.facts,
          explored,
          { insight, gate: reviewed.gate },
          goals.features !== null,
        )
      : null;
  if (needsFeatures && explored && reviewed && !reviewed.open && goals.review !== null) {
    b.pending({
      id: 'features.synthesize',
      step: 'features',
      kind: 'features.synthesize',
      deps: [reviewed.gate ?? 'gate.review'],
    });
  }
  if (training) {
    const gateOpen = reviewed === null || goals.review === null || reviewed.open;
    if (!gateOpen)
      b.pending({ id: 'learn.dataset', step: 'train', kind: 'learn.dataset', deps: [reviewed!.gate ?? 'gate.review'] });
    else {
      const trained = deriveTrain(
        b,
        training,
        reviewed?.facts ?? null,
        features,
        reviewed?.gate ? [reviewed.gate] : [],
      );
      if (trained) deriveDeploy(b, trained, goals.production, goals.serve === true);
    }
  }
  return { nodes: [...b.nodes.values()], wants: { records: [...b.wantRecords], outputs: [...b.wantOutputs] } };
}
