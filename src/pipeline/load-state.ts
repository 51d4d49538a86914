import { availableParallelism, hostname } from 'node:os';
import { listDeployments } from '../deploy/deployments.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { registeredActionKind, registeredKindNames } from '../orchestrate/action-registry.js';
import {
  ACTIONS,
  readActionOutput,
  SUBJECTS,
  type ActionRecord,
  type SubjectRecord,
} from '../orchestrate/run-action.js';
import { SOURCES, TABLES, type SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import { discoverTables } from '../sources/discover-tables.js';
import {
  PROFILES,
  RELATIONSHIPS,
  RELATIONSHIPS_KEY,
  type ProfileRecord,
  type RelationshipsRecord,
} from '../explore/explore-kinds.js';
import type { TableProfile } from '../explore/profile-table.js';
import { INSIGHTS, INSIGHTS_KEY } from '../explore/round-two/insight-kind.js';
import type { RoundTwo } from '../catalog/round-two-types.js';
import { metadataVersion, readTags } from '../metadata/metadata-state.js';
import { FEATURE_SETS, type FeatureSetRecord } from '../features/feature-set-record.js';
import { SEARCHES, type SearchRecord } from '../train/search-record.js';
import { MODEL_VERSIONS, type ModelVersion } from '../deploy/model-registry.js';
import type { KindInfo, PipelineState, SourceState } from './pipeline-state.js';
import type { PipelineGoals } from './pipeline-goals.js';
import { derivePlan, type Derived, type PlanContext } from './derive/derive-plan.js';
import { loadBuiltinKinds } from './builtin-kinds.js';

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

export interface LoadOptions {
  /** Discover the sources' tables now without recording anything (fathom plan); else read what was recorded. */
  readonly discover: boolean;
  readonly stdin: Stdin;
  readonly runFrom: number;
  readonly trainingStartedAt: number | null;
  /** Sources not connected yet that the plan shows as if they were (fathom plan LOCATION). */
  readonly extra?: readonly SourceState[];
}

/** The state the planner reads: projections and the sources as they are, read once per plan. */
export async function loadState(ws: Workspace, options: LoadOptions, cache?: PlanCache): Promise<PipelineState> {
  await loadBuiltinKinds([], ws.paths.root);
  const ledger = await ws.ledger();
  const objects = await ws.objects();
  const kinds = new Map<string, KindInfo>();
  for (const name of registeredKindNames()) {
    const k = registeredActionKind(name);
    kinds.set(name, { version: k.version, ...(k.subject ? { subject: k.subject as (p: unknown) => string } : {}) });
  }
  const recordedTables = await ledger.listState<SourceTable>(TABLES);
  const sources: SourceState[] = [];
  for (const row of await ledger.listState<SourceRecord>(SOURCES)) {
    const mine = recordedTables.filter((t) => t.value.source === row.key).map((t) => t.value);
    const current = row.value.tables.map((n) => mine.find((t) => t.name === n)).filter((t): t is SourceTable => !!t);
    const tables = options.discover ? await discoverTables(ws, row.key, row.value, options.stdin) : current;
    sources.push({
      name: row.key,
      record: row.value,
      tables,
      recorded: new Map(current.map((t) => [t.name, t.fingerprint])),
      recordedSeq: row.seq,
    });
  }
  sources.push(...(options.extra ?? []));
  const profiles = new Map<string, TableProfile>();
  for (const row of await ledger.listState<ProfileRecord>(PROFILES)) {
    if (!row.value.output) continue;
    const known = cache?.objects.get(row.value.output) as TableProfile | undefined;
    const p = known ?? (await objects.getJson<TableProfile>(row.value.output).catch(() => undefined));
    if (p) profiles.set(row.key, p);
    if (p && !known) cache?.objects.set(row.value.output, p);
  }
  const featureSets = new Map((await ledger.listState<FeatureSetRecord>(FEATURE_SETS)).map((r) => [r.key, r.value]));
  return {
    now: Date.now(),
    runFrom: options.runFrom,
    trainingStartedAt: options.trainingStartedAt,
    kinds,
    cores: availableParallelism(),
    sources,
    tags: await readTags(ledger),
    metadataVersion: await metadataVersion(ledger),
    latest: {
      profiles,
      relationships: (await ledger.getState<RelationshipsRecord>(RELATIONSHIPS, RELATIONSHIPS_KEY))?.value ?? null,
      roundTwo: (await ledger.getState<RoundTwo>(INSIGHTS, INSIGHTS_KEY))?.value ?? null,
      featureSets,
    },
    searches: new Map((await ledger.listState<SearchRecord>(SEARCHES)).map((r) => [r.key, r.value])),
    modelVersions: (await ledger.listState<ModelVersion>(MODEL_VERSIONS)).map((r) => r.value),
    serving: await servingHere(ws),
    subjects: new Map(
      (await ledger.listState<SubjectRecord>(SUBJECTS)).map((r) => [r.key, { ...r.value, seq: r.seq }]),
    ),
    records: new Map(),
    outputs: new Map(),
  };
}

/** What servers on this machine serve now: a `serving` record whose process is still alive. */
async function servingHere(ws: Workspace): Promise<Set<string>> {
  const live = (await listDeployments(ws)).filter(
    (d) => d.status === 'serving' && d.host === hostname() && alive(d.pid),
  );
  return new Set(live.flatMap((d) => d.models));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What a run keeps between its plans: the records of actions that succeeded (a run plans again
 * after every batch, and training's search is replayed from every trial so far) and their
 * outputs (content-addressed, so they never change).
 */
export interface PlanCache {
  readonly records: Map<string, ActionRecord & { readonly seq: number }>;
  /** Outputs by action fingerprint. */
  readonly outputs: Map<string, unknown>;
  /** JSON objects by content hash (the latest profiles the state reads). */
  readonly objects: Map<string, unknown>;
}

/**
 * Derive the plan, fetching what the planner asks for (action records and outputs) and
 * deriving again, until it asks for nothing new: each pass reaches one step further down.
 */
export async function planFromState(
  ws: Workspace,
  goals: PipelineGoals,
  state: PipelineState,
  ctx: PlanContext = {},
  cache?: PlanCache,
): Promise<{ derived: Derived; state: PipelineState }> {
  const ledger = await ws.ledger();
  const objects = await ws.objects();
  const records = new Map([...(cache?.records ?? []), ...state.records]);
  const outputs = new Map([...(cache?.outputs ?? []), ...state.outputs]);
  for (let pass = 0; ; pass++) {
    const current: PipelineState = { ...state, records, outputs };
    const derived = derivePlan(goals, current, ctx);
    const records0 = derived.wants.records.filter((fp) => !records.has(fp));
    const outputs0 = derived.wants.outputs.filter((fp) => !outputs.has(fp));
    if ((records0.length === 0 && outputs0.length === 0) || pass > 200) return { derived, state: current };
    for (const fp of records0) {
      const row = await ledger.getState<ActionRecord>(ACTIONS, fp);
      const rec = row ? { ...row.value, seq: row.seq } : null;
      records.set(fp, rec);
      // A success is final; a failure may be run again (a trial stopped by an earlier deadline).
      if (rec?.status === 'succeeded') cache?.records.set(fp, rec);
    }
    for (const fp of outputs0) {
      const rec = records.get(fp);
      if (rec?.status !== 'succeeded') continue;
      const out = await readActionOutput(objects, rec).catch(() => undefined);
      outputs.set(fp, out);
      if (out !== undefined) cache?.outputs.set(fp, out);
    }
  }
}

/** The output of a node's action, when it succeeded (else undefined). */
export async function nodeOutput<T>(
  ws: Workspace,
  node: { readonly action: { fingerprint: string } | null } | undefined,
): Promise<T | undefined> {
  if (!node?.action) return undefined;
  const rec = (await (await ws.ledger()).getState<ActionRecord>(ACTIONS, node.action.fingerprint))?.value;
  if (rec?.status !== 'succeeded') return undefined;
  return (await readActionOutput(await ws.objects(), rec)) as T;
}
