import type { Workspace } from '../workspace/open-workspace.js';
import type { ConnectEnv } from '../sources/record-source.js';
import { connectAndRecord } from '../sources/record-source.js';
import { exploreWorkspace } from '../metadata/explore-workspace.js';
import { loadReview, type ReviewState } from '../metadata/review-workspace.js';
import { pendingProposals, type Proposal } from '../metadata/proposals.js';
import { confirmedTarget, tableReview } from '../metadata/table-review.js';
import { featureSetForTraining } from '../features/training-features.js';
import { trainModel, type TrainOutcome } from '../train/train-model.js';
import {
  listModelVersions,
  promoteModel,
  registerModel,
  versionKey,
  type ModelVersion,
} from '../deploy/model-registry.js';
import { reviewer } from '../metadata/metadata-state.js';
import { TABLES, tableKey } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import type { EntryStatus } from '../ledger/ledger-store.js';

export const PIPELINE_KIND = 'pipeline.run';

export type StepName =
  'connect' | 'explore' | 'review' | 'explore round two' | 'features' | 'train' | 'register' | 'promote';

/** What one step did, read back from the ledger entries it appended. */
export interface StepReport {
  readonly step: StepName;
  /** ran: some action ran; reused: every action was reused (no work); skipped; stopped: the pipeline waits here. */
  readonly status: 'ran' | 'reused' | 'recorded' | 'skipped' | 'stopped';
  readonly detail: string;
  readonly ms: number;
  /** Ledger entries the step appended, by status. */
  readonly entries: Readonly<Partial<Record<EntryStatus, number>>>;
  /** Kinds of the actions that ran (not reused), e.g. explore.profile ×1. */
  readonly ranKinds: Readonly<Record<string, number>>;
}

export interface PipelineOptions {
  /** A source already connected, or a location (folder, file, database URL) to connect. */
  readonly source: string;
  /** The name to connect a location under. */
  readonly sourceName: string;
  /** Connect the location (it is not a connected source's name). */
  readonly connect: boolean;
  /** TABLE.COLUMN to predict: recorded as a confirmed target before review. */
  readonly target?: { readonly table: string; readonly column: string };
  readonly timeBudgetMs: number | null;
  readonly budgetUnits: number | null;
  readonly seed: number;
  readonly families?: readonly ('linear' | 'gbdt')[];
}

export interface PipelineHooks {
  readonly progress?: (line: string) => void;
  /**
   * The review step, given the pending proposals: record decisions and say whether to go on.
   * 'stop' ends the pipeline there (a person has to review first).
   */
  review(ws: Workspace, state: ReviewState, pending: readonly Proposal[]): Promise<'continue' | 'stop'>;
  /** Record a --target decision (the same path as `fathom tag T.C --target`). */
  tagTarget(ws: Workspace, state: ReviewState, target: { table: string; column: string }): Promise<void>;
  /** Approval to put the new version in production (--yes, or a person's yes). */
  approveProduction(version: ModelVersion, current: ModelVersion | null): Promise<boolean>;
}

export interface PipelineOutcome {
  readonly steps: readonly StepReport[];
  /** Where the pipeline stopped for a person, if it did. */
  readonly stoppedAt: StepName | null;
  readonly model: ModelVersion | null;
  readonly train: TrainOutcome | null;
  /** True when no action ran: everything was reused. */
  readonly nothingRan: boolean;
  readonly seq: number;
}

/**
 * The whole pipeline, every step through the ledger: connect, explore, review (stopping for the
 * person unless the hook decides), explore round two, features, train, register, promote.
 * Each step's actions are reused while their inputs are unchanged, so re-running an unchanged
 * project does no work, and a changed file re-runs only what depends on it; the report says,
 * per step, which actions ran and which were reused (from the ledger entries it appended).
 */
export async function runPipeline(
  ws: Workspace,
  env: ConnectEnv,
  options: PipelineOptions,
  hooks: PipelineHooks,
): Promise<PipelineOutcome> {
  const say = hooks.progress ?? (() => undefined);
  const ledger = await ws.ledger();
  const steps: StepReport[] = [];
  const firstSeq = (await ledger.head()).seq;
  let stoppedAt: StepName | null = null;
  let model: ModelVersion | null = null;
  let trained: TrainOutcome | null = null;

  const step = async (
    name: StepName,
    body: () => Promise<{ detail: string; status?: StepReport['status'] }>,
  ): Promise<StepReport> => {
    const before = (await ledger.head()).seq;
    const t0 = Date.now();
    say(`${name}…`);
    const { detail, status } = await body();
    const { entries, ranKinds } = await entriesSince(ws, before);
    const report: StepReport = {
      step: name,
      status:
        status ??
        ((entries.succeeded ?? 0) > 0 || (entries.failed ?? 0) > 0
          ? 'ran'
          : (entries.reused ?? 0) > 0
            ? 'reused'
            : (entries.recorded ?? 0) > 0
              ? 'recorded'
              : 'reused'),
      detail,
      ms: Date.now() - t0,
      entries,
      ranKinds,
    };
    say(`${name}: ${report.status}${detail ? ` — ${detail}` : ''}`);
    steps.push(report);
    return report;
  };

  const source = options.sourceName;
  await step('connect', async () => {
    if (!options.connect) return { detail: `source ${source} (connected)`, status: 'skipped' };
    const out = await connectAndRecord(ws, { name: source, location: options.source }, env);
    return { detail: `${source}: ${out.tables.length} tables` };
  });
  await step('explore', async () => {
    // A source connected just now is fresh; one connected before is discovered again (edited files).
    const o = await exploreWorkspace(ws, env, {
      source,
      ...(options.connect ? { refreshed: new Set([source]) } : {}),
      workers: 0,
    });
    return {
      detail: `${o.profiles.length} tables (${o.profiled} profiled, ${o.reused} reused), ${o.relationships.length} relationships`,
    };
  });

  const review = await step('review', async () => {
    let state = await loadReview(ws);
    if (options.target) {
      const current = await confirmedTarget(ws);
      if (!current || current.table !== options.target.table || current.column !== options.target.column) {
        await hooks.tagTarget(ws, state, options.target);
        state = await loadReview(ws);
      }
    }
    const pending = pendingProposals(state.catalog);
    const go = pending.length === 0 ? 'continue' : await hooks.review(ws, state, pending);
    if (go === 'stop')
      return {
        detail: `${pending.length} proposals wait for a person: fathom review (or run again with --yes / --accept-above 0.9)`,
        status: 'stopped',
      };
    const left = pendingProposals((await loadReview(ws)).catalog).length;
    const target = await confirmedTarget(ws);
    if (!target)
      return {
        detail: 'no target is confirmed: pass --target TABLE.COLUMN, or confirm one with fathom review',
        status: 'stopped',
      };
    return {
      detail: `target ${target.table}.${target.column}${left > 0 ? `; ${left} proposals left unreviewed` : ''}`,
    };
  });
  if (review.status === 'stopped') stoppedAt = 'review';

  if (stoppedAt === null) {
    const target = (await confirmedTarget(ws))!;
    await step('explore round two', async () => {
      const o = await exploreWorkspace(ws, env, {
        source: target.source,
        refreshed: new Set([target.source]),
        workers: 0,
      });
      const suspects = o.roundTwo?.value.leakage?.length ?? 0;
      return {
        detail: o.roundTwo
          ? `insights on ${target.table}.${target.column}${suspects ? `; ${suspects} leakage suspect(s), left out of features` : ''}`
          : 'no round two',
      };
    });
    await step('features', async () => {
      const fs = await featureSetForTraining(ws, target, env, (m) => say(`  ${m}`));
      return fs
        ? { detail: `${fs.selection.kept.length} features selected of ${fs.features.length} from related tables` }
        : { detail: `${target.table} has no related tables: training on its own columns`, status: 'skipped' };
    });
    const table = await ledger.getState<SourceTable>(TABLES, tableKey(target.source, target.table));
    const timeColumn = table ? (await tableReview(ws, target.source, table.value)).confirmedTimeIndex : null;
    await step('train', async () => {
      trained = await trainModel(
        ws,
        env,
        {
          table: target.table,
          column: target.column,
          source: target.source,
          ...(timeColumn ? { timeColumn } : {}),
          ...(options.families ? { families: options.families } : {}),
          seed: options.seed,
          folds: 5,
          timeBudgetMs: options.timeBudgetMs,
          budgetUnits: options.budgetUnits,
        },
        { progress: (m) => say(`  ${m}`) },
      );
      const c = trained.card;
      return {
        detail: `${c.name}: ${c.metric} ${c.metrics[c.metric]?.mean.toFixed(4) ?? '-'} (${c.split.kind} split, ${c.split.folds} folds)${trained.reused ? ', reused' : ''}`,
      };
    });
    await step('register', async () => {
      const r = await registerModel(ws, trained!.card, reviewer(env.env));
      model = r.version;
      const note = r.existing ? (r.seq === null ? ', already registered' : ', the same model: its card updated') : '';
      return {
        detail: `${versionKey(r.version.name, r.version.version)} (${r.version.stage})${note}`,
        ...(r.existing && r.seq === null ? { status: 'reused' as const } : {}),
      };
    });
    const promote = await step('promote', async () => {
      const v = model!;
      if (v.stage === 'production')
        return { detail: `${versionKey(v.name, v.version)} is in production`, status: 'reused' };
      const current = (await listModelVersions(ws, v.name)).find((x) => x.stage === 'production') ?? null;
      if (!(await hooks.approveProduction(v, current))) {
        return {
          detail: `${versionKey(v.name, v.version)} stays a ${v.stage}: approve it with fathom promote ${versionKey(v.name, v.version)} production --yes (or run with --yes)`,
          status: 'stopped',
        };
      }
      const p = await promoteModel(ws, versionKey(v.name, v.version), 'production', {
        by: reviewer(env.env),
        approved: true,
      });
      model = p.version;
      return {
        detail: `${versionKey(v.name, v.version)} -> production${p.archived.length ? ` (replaces ${p.archived.map((a) => `v${a.version}`).join(', ')})` : ''}`,
      };
    });
    if (promote.status === 'stopped') stoppedAt = 'promote';
  }

  const nothingRan = steps.every(
    (s) => (s.entries.succeeded ?? 0) === 0 && (s.entries.started ?? 0) === 0 && (s.entries.recorded ?? 0) === 0,
  );
  const m = model as ModelVersion | null;
  const entry = await ledger.append({
    kind: PIPELINE_KIND,
    status: 'recorded',
    workerId: ws.config.workerId,
    params: {
      source: options.source,
      target: options.target ?? null,
      timeBudgetMs: options.timeBudgetMs,
      budgetUnits: options.budgetUnits,
      seed: options.seed,
    },
    detail: {
      fromSeq: firstSeq + 1,
      stoppedAt,
      nothingRan,
      model: m ? versionKey(m.name, m.version) : null,
      steps: steps.map((s) => ({ step: s.step, status: s.status, ms: s.ms, entries: s.entries, ran: s.ranKinds })),
    },
  });
  return { steps, stoppedAt, model: m, train: trained, nothingRan, seq: entry.seq };
}

/** Count the entries appended after `seq`, by status, and the kinds of actions that ran. */
async function entriesSince(
  ws: Workspace,
  seq: number,
): Promise<{ entries: Partial<Record<EntryStatus, number>>; ranKinds: Record<string, number> }> {
  const ledger = await ws.ledger();
  const entries: Partial<Record<EntryStatus, number>> = {};
  const ranKinds: Record<string, number> = {};
  for (let after = seq; ;) {
    const page = await ledger.entries({ afterSeq: after, limit: 1000 });
    for (const e of page) {
      entries[e.status] = (entries[e.status] ?? 0) + 1;
      if (e.status === 'succeeded') ranKinds[e.kind] = (ranKinds[e.kind] ?? 0) + 1;
    }
    if (page.length < 1000) break;
    after = page[page.length - 1]!.seq;
  }
  return { entries, ranKinds };
}
