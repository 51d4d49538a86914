import type { PlannedAction } from '../orchestrate/plan.js';

/**
 * A node's state in a plan, before anything runs:
 * - reused: its output exists for exactly these inputs (or a gate already passed): nothing to do;
 * - stale: it ran before on other inputs, and must run again (`reason` says what changed);
 * - ready: it never ran, and everything it needs is there;
 * - waiting-for-gate: a person has to act first (review the metadata, approve production);
 * - blocked: it waits for nodes upstream that have not run yet.
 */
export type NodeState = 'reused' | 'stale' | 'ready' | 'waiting-for-gate' | 'blocked';

/** The flow's steps, left to right: how nodes are grouped for people. */
export const STEPS = [
  'connect',
  'explore',
  'review',
  'round two',
  'features',
  'train',
  'register',
  'promote',
  'serve',
] as const;
export type Step = (typeof STEPS)[number];

export interface PlanNode {
  /** Unique and readable: the kind and what it is about, e.g. `explore.profile shop.orders`. */
  readonly id: string;
  readonly step: Step;
  /** An action kind, or one the planning process does itself (gates, registering). */
  readonly kind: string;
  readonly state: NodeState;
  /** Why it is stale, waiting or blocked; what it will do when ready. */
  readonly reason: string | null;
  readonly deps: readonly string[];
  /** The queued action, when its identity is known (params and inputs derived). */
  readonly action: PlannedAction | null;
  /** Run by a worker from the queue, or by the planning process (gates, registry, search records). */
  readonly runs: 'queue' | 'here';
  /**
   * Derived from outputs that a node upstream may still change (it runs again first): the
   * state is the planner's expectation, confirmed or corrected once that node has run.
   */
  readonly provisional: boolean;
  /** A gate: a node that waits for a person unless approved ahead of time. */
  readonly gate?: 'review' | 'production';
}

/** What the planner derived, and what it would like to know to derive further. */
export interface DerivedPlan {
  readonly nodes: readonly PlanNode[];
  /** Action fingerprints whose ledger records, and succeeded outputs, the state lacked. */
  readonly wants: { readonly records: readonly string[]; readonly outputs: readonly string[] };
}
