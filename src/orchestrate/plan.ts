import { badInput } from '../util/fathom-error.js';
import type { QueuedAction } from '../ledger/work-queue.js';
import type { ActionKind } from './action-kind.js';
import { actionFingerprint } from './fingerprint.js';

/** An action a planner derived, ready to enqueue: its fingerprint is known before it runs. */
export type PlannedAction = QueuedAction;

/** A DAG of planned actions; an action's dependencies are among them. */
export interface Plan {
  readonly actions: readonly PlannedAction[];
}

export interface PlanActionOptions {
  readonly metadataVersion?: number | null;
  readonly maxAttempts?: number;
  /** When a run of it must stop (epoch ms): a time budget, not part of its identity. */
  readonly stopAt?: number | null;
}

/**
 * Plan one action. An input is a data fingerprint (a source table's) or another planned
 * action, whose fingerprint stands for its output and which then becomes a dependency: the
 * worker hands the upstream output to `run` as that input's value. The graph cannot have a
 * cycle: an action's fingerprint hashes its inputs' fingerprints, so it is built bottom-up.
 */
export function planAction<P>(
  kind: Pick<ActionKind<P, unknown>, 'kind' | 'version'>,
  params: P,
  inputs: ReadonlyArray<string | PlannedAction> = [],
  options: PlanActionOptions = {},
): PlannedAction {
  const inputFingerprints = inputs.map((i) => (typeof i === 'string' ? i : i.fingerprint));
  const metadataVersion = options.metadataVersion ?? null;
  const dependsOn = [
    ...new Set(inputs.filter((i): i is PlannedAction => typeof i !== 'string').map((i) => i.fingerprint)),
  ];
  return {
    fingerprint: actionFingerprint({
      kind: kind.kind,
      version: kind.version,
      params,
      inputs: inputFingerprints,
      metadataVersion,
    }),
    kind: kind.kind,
    version: kind.version,
    params,
    inputs: inputFingerprints,
    dependsOn,
    metadataVersion,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.stopAt == null ? {} : { stopAt: options.stopAt }),
  };
}

/** A plan from actions in any order, each once; every dependency must be in it. */
export function makePlan(actions: readonly PlannedAction[]): Plan {
  const byFp = new Map<string, PlannedAction>();
  for (const a of actions) byFp.set(a.fingerprint, a);
  for (const a of byFp.values()) {
    for (const d of a.dependsOn) {
      if (!byFp.has(d))
        throw badInput(
          `planned action ${a.kind} (${a.fingerprint.slice(0, 12)}…) depends on ${d.slice(0, 12)}…, which is not in the plan`,
          'add the upstream action to the plan',
        );
    }
  }
  return { actions: [...byFp.values()] };
}
