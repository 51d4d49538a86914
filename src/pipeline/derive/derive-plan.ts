import type { DerivedPlan } from '../plan-node.js';
import type { PipelineGoals } from '../pipeline-goals.js';
import type { PipelineState } from '../pipeline-state.js';
import { confirmedTargetOf } from '../../metadata/review-of-table.js';
import { deriveExplore } from './derive-explore.js';
import { deriveReview } from './derive-review.js';
import { deriveRoundTwo } from './derive-round-two.js';
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
  const insight =
    explored && reviewed && (goals.roundTwo || needsFeatures)
      ? deriveRoundTwo(b, explored, reviewed, goals.review !== null)
      : null;
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
