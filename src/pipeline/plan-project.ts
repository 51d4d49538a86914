import type { Workspace } from '../workspace/open-workspace.js';
import type { ConnectEnv } from '../sources/record-source.js';
import { discoverLocation } from '../sources/discover-tables.js';
import type { NodeState, PlanNode, Step } from './plan-node.js';
import type { PipelineGoals } from './pipeline-goals.js';
import { loadState, planFromState } from './load-state.js';

/** One node of `fathom plan`, as printed and as `--json` gives it. */
export interface PlannedNode extends Pick<
  PlanNode,
  'id' | 'step' | 'kind' | 'state' | 'reason' | 'deps' | 'runs' | 'provisional' | 'gate'
> {
  /** The action's fingerprint, when its identity is known. */
  readonly fingerprint: string | null;
}

export interface PlanReport {
  readonly nodes: readonly PlannedNode[];
  readonly counts: Readonly<Record<NodeState, number>>;
  /** The ledger's head the plan was derived at. */
  readonly headSeq: number;
  /** Nodes that would run now (ready or stale, and everything they need is there). */
  readonly runnable: number;
}

/**
 * `fathom plan`: the DAG the goals need, each node with its state and, when stale, why, derived
 * from the ledger and the sources as they are now (discovered, not recorded): nothing runs and
 * nothing is recorded. `connect` shows a location not connected yet as if it were.
 */
export async function planProject(
  ws: Workspace,
  env: ConnectEnv,
  goals: PipelineGoals,
  connect?: { readonly name: string; readonly location: string },
): Promise<PlanReport> {
  const headSeq = (await (await ws.ledger()).head()).seq;
  const extra = [];
  if (connect) {
    const found = await discoverLocation(ws, connect.name, connect.location, env.cwd);
    extra.push({
      name: connect.name,
      record: found.record,
      tables: found.tables,
      recorded: new Map<string, string>(),
      recordedSeq: 0,
    });
  }
  const state = await loadState(ws, {
    discover: true,
    stdin: env.stdin,
    runFrom: headSeq,
    trainingStartedAt: null,
    extra,
  });
  const { derived } = await planFromState(ws, goals, state);
  const nodes: PlannedNode[] = derived.nodes.map((n) => ({
    id: n.id,
    step: n.step,
    kind: n.kind,
    state: n.state,
    reason: n.reason,
    deps: n.deps,
    fingerprint: n.action?.fingerprint ?? null,
    runs: n.runs,
    provisional: n.provisional,
    ...(n.gate ? { gate: n.gate } : {}),
  }));
  const counts: Record<NodeState, number> = { reused: 0, stale: 0, ready: 0, 'waiting-for-gate': 0, blocked: 0 };
  for (const n of nodes) counts[n.state] += 1;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const runnable = nodes.filter(
    (n) => (n.state === 'ready' || n.state === 'stale') && n.deps.every((d) => byId.get(d)?.state === 'reused'),
  ).length;
  return { nodes, counts, headSeq, runnable };
}
