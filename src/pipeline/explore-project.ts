import type { Workspace } from '../workspace/open-workspace.js';
import type { ConnectEnv } from '../sources/record-source.js';
import type { Relationship } from '../catalog/catalog.js';
import type { RoundTwo } from '../catalog/round-two-types.js';
import type { TableProfile } from '../explore/profile-table.js';
import type { RelationshipsRecord } from '../explore/explore-kinds.js';
import { runPipeline, type RunHooks } from './run-pipeline.js';
import { FathomError } from '../util/fathom-error.js';
import type { PipelineGoals } from './pipeline-goals.js';
import { loadState, nodeOutput, planFromState } from './load-state.js';

export interface ExploreOptions {
  /** Only this source; all sources otherwise. Relationships always span every source. */
  readonly source?: string;
  /** A location to connect first under this name. */
  readonly connect?: { readonly name: string; readonly location: string };
  /** Local worker processes to run the plan (0: in this process). Workers already joined help either way. */
  readonly workers?: number | 'joined';
}

export interface ExploreOutcome {
  /** Round two, when a target is confirmed: its result and whether it was reused. */
  readonly roundTwo: { readonly value: RoundTwo; readonly reused: boolean } | null;
  readonly profiles: ReadonlyArray<TableProfile & { reused: boolean; seq: number }>;
  readonly profiled: number;
  readonly reused: number;
  readonly relationships: readonly Relationship[];
  readonly relationshipsReused: boolean;
}

/** `fathom explore`: the goals of exploration (and round two, once a target is confirmed). */
export const exploreGoals = (source?: string): PipelineGoals => ({
  sources: source === undefined ? null : [source],
  review: null,
  roundTwo: true,
  features: null,
  train: null,
  production: null,
});

/**
 * Explore: profile every table of the chosen sources (one `explore.profile` each), infer the
 * relationships across every profiled table (`explore.relate`), and, with a confirmed target,
 * run round two (`explore.insight`), through the planner, here or on workers. Unchanged tables
 * reuse their profiles: re-running an unchanged project does no work.
 */
export async function exploreProject(
  ws: Workspace,
  env: ConnectEnv,
  options: ExploreOptions,
  hooks: RunHooks = {},
): Promise<ExploreOutcome> {
  const goals = exploreGoals(options.source ?? options.connect?.name);
  if (!options.connect && Object.keys(ws.config.sources).length === 0) {
    throw new FathomError('usage', 'No sources connected yet', {
      hint: 'Connect one first: fathom connect NAME LOCATION',
    });
  }
  const run = await runPipeline(
    ws,
    env,
    { goals, workers: options.workers ?? 0, ...(options.connect ? { connect: options.connect } : {}) },
    hooks,
  );
  const ranIds = new Set(run.nodes.filter((n) => n.outcome === 'ran').map((n) => n.id));
  const head = (await (await ws.ledger()).head()).seq;
  const { derived, state } = await planFromState(
    ws,
    goals,
    await loadState(ws, { discover: false, stdin: env.stdin, runFrom: head, trainingStartedAt: null }),
  );
  const chosen = new Set(goals.sources ?? state.sources.map((s) => s.name));
  const profiles: Array<TableProfile & { reused: boolean; seq: number }> = [];
  for (const n of derived.nodes.filter((x) => x.kind === 'explore.profile' && x.action)) {
    const p = await nodeOutput<TableProfile>(ws, n);
    if (!p || !chosen.has(p.source)) continue;
    profiles.push({ ...p, reused: !ranIds.has(n.id), seq: state.records.get(n.action!.fingerprint)?.seq ?? 0 });
  }
  const relate = derived.nodes.find((n) => n.kind === 'explore.relate');
  const related = await nodeOutput<RelationshipsRecord>(ws, relate);
  const insight = derived.nodes.find((n) => n.kind === 'explore.insight' && n.action);
  const roundTwo = await nodeOutput<RoundTwo>(ws, insight);
  return {
    roundTwo: roundTwo ? { value: roundTwo, reused: !ranIds.has(insight!.id) } : null,
    profiles,
    profiled: profiles.filter((p) => !p.reused).length,
    reused: profiles.filter((p) => p.reused).length,
    relationships: related?.relationships ?? [],
    relationshipsReused: relate ? !ranIds.has(relate.id) : true,
  };
}
