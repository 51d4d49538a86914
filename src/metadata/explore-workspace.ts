import type { Workspace } from '../workspace/open-workspace.js';
import { makePlan, planAction, type PlannedAction } from '../orchestrate/plan.js';
import { runPlan } from '../orchestrate/run-plan.js';
import { ACTIONS, readActionOutput, type ActionRecord } from '../orchestrate/run-action.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import { connectAndRecord, type ConnectEnv } from '../sources/record-source.js';
import type { SourceTable } from '../sources/source.js';
import { FathomError } from '../util/fathom-error.js';
import type { Relationship } from '../catalog/catalog.js';
import type { TableProfile } from '../explore/profile-table.js';
import { profileKind, relateKind, type RelationshipsRecord } from '../explore/explore-kinds.js';
import { currentProfileRecord } from '../explore/current-profile.js';
import { reviewedCatalog } from './reviewed-catalog.js';
import { planInsight } from '../explore/round-two/insight-kind.js';
import type { RoundTwo } from '../catalog/round-two-types.js';
import { reviewedFactsOf } from '../catalog/reviewed-facts-of.js';
import { confirmedTarget } from './table-review.js';

export {
  PROFILES,
  RELATIONSHIPS,
  RELATIONSHIPS_KEY,
  type ProfileRecord,
  type RelationshipsRecord,
} from '../explore/explore-kinds.js';

export interface ExploreOptions {
  /** Only this source; all sources otherwise. Relationships always span every source. */
  readonly source?: string;
  /** Sources the caller has just connected: their tables are current, skip re-discovery. */
  readonly refreshed?: ReadonlySet<string>;
  /** Local worker processes to run the plan (0: in this process). Workers already joined help either way. */
  readonly workers?: number;
  /** Show worker processes' own logs on stderr (for --debug); otherwise failures speak through the ledger. */
  readonly workerLogs?: boolean;
  readonly onProgress?: (e: { done: number; total: number; label: string }) => void;
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

/**
 * Explore: refresh the chosen sources' tables (cheap fingerprints; a changed file is
 * discovered again), then plan one `explore.profile` action per table and one
 * `explore.relate` action over every profile, and run the plan through the work queue, here
 * or on N worker processes. Unchanged tables reuse their profiles and unchanged profiles the
 * relationships: re-running an unchanged project does no work.
 */
export async function exploreWorkspace(
  ws: Workspace,
  env: ConnectEnv,
  options: ExploreOptions = {},
): Promise<ExploreOutcome> {
  const ledger = await ws.ledger();
  const all = await ledger.listState<SourceRecord>(SOURCES);
  const selected = new Set(all.filter((s) => !options.source || s.key === options.source).map((s) => s.key));
  if (selected.size === 0) {
    throw new FathomError('usage', options.source ? `No source named ${options.source}` : 'No sources connected yet', {
      hint: options.source ? 'List them with `fathom sources`.' : 'Connect one first: fathom connect NAME LOCATION',
    });
  }
  const profileActions: Array<{ key: string; action: PlannedAction; chosen: boolean }> = [];
  for (const s of all) {
    const chosen = selected.has(s.key);
    // Re-discovery is the incremental step: unchanged data keeps its fingerprints.
    if (chosen && !options.refreshed?.has(s.key)) {
      // Stored locations are relative to the project, not to wherever the command ran.
      await connectAndRecord(
        ws,
        { name: s.key, location: s.value.location, options: s.value.options },
        { ...env, cwd: ws.paths.root },
      ).catch((err: unknown) => {
        throw refreshFailed(s.key, s.value.location, err);
      });
    }
    const record = (await ledger.getState<SourceRecord>(SOURCES, s.key))!.value;
    for (const name of record.tables) {
      const key = tableKey(s.key, name);
      const table = (await ledger.getState<SourceTable>(TABLES, key))!.value;
      // Other sources take part in the relationships with the profiles they already have.
      if (!chosen) {
        if (!(await currentProfileRecord(ledger, s.key, table))) continue;
      }
      profileActions.push({
        key,
        chosen,
        action: planAction(profileKind, { source: s.key, table: name }, [table.fingerprint]),
      });
    }
  }
  // Profiles and relationships read no metadata: a review decision never makes them stale.
  const relate = planAction(
    relateKind,
    { tables: profileActions.map((p) => p.key) },
    profileActions.map((p) => p.action),
  );
  const first = makePlan([...profileActions.map((p) => p.action), relate]);
  await runExplorePlan(ws, env, first, first.actions.length, 0, options);

  // Round two plans from the reviewed metadata over this run's relationships, so it waits for
  // them: a second plan, run the same way. Without a confirmed target (a cheap read of the
  // decisions) there is none, and the reviewed catalog is not built for nothing.
  const insight = (await confirmedTarget(ws))
    ? planInsight(
        reviewedFactsOf(await reviewedCatalog(ws)),
        profileActions.map((p) => p.action),
        relate,
      )
    : null;
  // Its inputs are done: planned alone, so the profiles are not asked for (and logged as reused) again.
  if (insight)
    await runExplorePlan(
      ws,
      env,
      makePlan([{ ...insight, dependsOn: [] }]),
      first.actions.length + 1,
      first.actions.length,
      options,
    );
  const total = first.actions.length + (insight ? 1 : 0);
  options.onProgress?.({ done: total, total, label: 'done' });

  const objects = await ws.objects();
  const result = async <T>(action: PlannedAction): Promise<{ value: T; reused: boolean; seq: number }> => {
    const rec = (await ledger.getState<ActionRecord>(ACTIONS, action.fingerprint))!;
    const [last] = await ledger.entries({ fingerprint: action.fingerprint, descending: true, limit: 1 });
    return {
      value: (await readActionOutput(objects, rec.value)) as T,
      reused: last?.status === 'reused',
      seq: last?.seq ?? rec.seq,
    };
  };
  const profiles: Array<TableProfile & { reused: boolean; seq: number }> = [];
  for (const p of profileActions.filter((x) => x.chosen)) {
    const r = await result<TableProfile>(p.action);
    profiles.push({ ...r.value, reused: r.reused, seq: r.seq });
  }
  const related = await result<RelationshipsRecord>(relate);
  return {
    roundTwo: insight ? await result<RoundTwo>(insight) : null,
    profiles,
    profiled: profiles.filter((p) => !p.reused).length,
    reused: profiles.filter((p) => p.reused).length,
    relationships: related.value.relationships,
    relationshipsReused: related.reused,
  };
}

/** Run one plan through the queue (here or on workers); the first failure is the error. */
async function runExplorePlan(
  ws: Workspace,
  env: ConnectEnv,
  plan: ReturnType<typeof makePlan>,
  total: number,
  offset: number,
  options: ExploreOptions,
): Promise<void> {
  const outcome = await runPlan(ws, plan, {
    workers: options.workers ?? 0,
    workerStderr: options.workerLogs ? 'inherit' : 'ignore',
    log: env.log,
    onProgress: (p) =>
      options.onProgress?.({
        done: offset + p.done + p.failed,
        total,
        label: p.running > 0 ? `${p.running} running` : 'planning',
      }),
  });
  if (outcome.failed.length > 0) {
    const first = outcome.failed[0]!;
    throw new FathomError('failed', `${first.kind} failed: ${first.error ?? 'unknown error'}`, {
      hint: `${outcome.failed.length} of ${plan.actions.length} explore actions failed; see fathom log --status failed`,
    });
  }
}

/** A source that could be read at connect time and no longer can: say which, and how to move it. */
function refreshFailed(name: string, location: string, thrown: unknown): unknown {
  if (!(thrown instanceof FathomError)) return thrown;
  const move = `If the data moved: fathom connect ${name} NEW_LOCATION --replace`;
  return new FathomError(thrown.kind, `Source ${name} (${location}): ${thrown.message}`, {
    hint: thrown.hint ? `${thrown.hint} ${move}` : move,
    cause: thrown,
    ...(thrown.context ? { context: { ...thrown.context } } : {}),
  });
}
