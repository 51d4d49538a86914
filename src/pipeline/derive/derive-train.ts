import { planAction, type PlannedAction } from '../../orchestrate/plan.js';
import type { ReviewedFacts } from '../../catalog/reviewed-facts.js';
import { keptFeatures } from '../../features/feature-set-record.js';
import { confirmedTargetOf, reviewOfTable } from '../../metadata/review-of-table.js';
import { tableKey } from '../../sources/source-actions.js';
import type { DatasetOutput, DatasetParams } from '../../train/dataset-kind.js';
import type { EnsembleParams, TrainOutput } from '../../train/ensemble-kind.js';
import type { SearchRecord } from '../../train/search-record.js';
import type { TrialOutput } from '../../train/trial-kind.js';
import {
  ensembleCandidates,
  searchDeadline,
  searchId,
  searchProgress,
  trialThreads,
  type SearchConfig,
  type TrialRecord,
} from '../../train/train-search.js';
import type { TrainGoal } from '../pipeline-goals.js';
import type { Featured } from './derive-features.js';
import { tableLabel } from './derive-explore.js';
import type { PlanBuilder } from './plan-builder.js';

export interface Trained {
  readonly name: string;
  readonly ensemble: { readonly id: string; readonly action: PlannedAction | null };
  /** The trained model, once the ensemble's output is known (it is reused). */
  readonly output: TrainOutput | null;
}

export const DATASET = 'learn.dataset';
export const TRIAL = 'learn.trial';
export const SEARCH = 'learn.search';
export const ENSEMBLE = 'learn.train';

/**
 * Training: `learn.dataset` (the rows, once), the search's `learn.trial` actions round by round
 * (each round only once the one before has every result, so any number of workers runs the
 * same search), `learn.search` (the planning process records the search as closed once its
 * budget is used), then `learn.train`, the ensemble over it.
 */
export function deriveTrain(
  b: PlanBuilder,
  goal: TrainGoal,
  facts: ReviewedFacts | null,
  features: Featured | null,
  after: readonly string[],
): Trained | null {
  const s = b.state;
  const target = trainingTarget(b, goal);
  if (target === null) return null;
  const { source, table, column } = target;
  const name = goal.name ?? `${table.name}.${column}`;
  const ensembleId = `${ENSEMBLE} ${name}`;
  const useFeatures =
    goal.features !== false &&
    features !== null &&
    features.related &&
    facts?.target?.source === source &&
    facts.target.table === table.name &&
    facts.target.column === column;
  const review = reviewOfTable(s.latest.profiles.get(tableKey(source, table.name)), s.tags, source, table.name);
  const record = useFeatures ? features!.record : null;
  const datasetId = `${DATASET} ${name}`;
  if (useFeatures && (record === null || features!.matrix === null)) {
    b.pending({ id: datasetId, step: 'train', kind: DATASET, deps: [features!.select!.id], priorOf: { name } });
    return pendingRest(b, name, ensembleId, [datasetId]);
  }
  // Rows of a cutoff table may repeat an entity at several cutoffs: its rows stay in one fold.
  const timeColumn = goal.timeColumn ?? (goal.table === undefined ? review.confirmedTimeIndex : null) ?? null;
  const grouped =
    record?.cutoff.kind === 'table' && goal.groupColumn === undefined && timeColumn === null && record.key.length === 1;
  const params: DatasetParams = {
    name,
    source,
    table: table.name,
    target: column,
    task: goal.task ?? null,
    timeColumn,
    groupColumn: grouped ? record!.key[0]! : (goal.groupColumn ?? null),
    metric: goal.metric ?? null,
    features: record ? { kept: keptFeatures(record) } : null,
    split: { folds: goal.folds, seed: goal.seed },
  };
  const deadline =
    s.trainingStartedAt !== null && goal.timeBudgetMs !== null ? s.trainingStartedAt + goal.timeBudgetMs : null;
  const input = record ? record.matrix.fingerprint : table.fingerprint;
  const dataset = planAction(b.kind(DATASET), params, [input], { metadataVersion: review.version, stopAt: deadline });
  const provisional = useFeatures && features!.provisional;
  b.queued({
    id: datasetId,
    step: 'train',
    action: dataset,
    deps: [...(useFeatures ? [features!.select!.id] : []), ...after],
    inputs: [record ? { node: 'features.matrix' } : { data: tableLabel(table) }],
    provisional,
  });
  const datasetOut = b.done(datasetId) ? b.output<DatasetOutput>(dataset.fingerprint) : undefined;

  const cfg: SearchConfig = {
    name,
    families: goal.families ? [...goal.families].sort() : null,
    seed: goal.seed,
    folds: goal.folds,
    metric: goal.metric ?? null,
    budgetUnits: goal.budgetUnits,
    timeBudgetMs: goal.timeBudgetMs,
    maxTrials: goal.maxTrials ?? null,
  };
  const id = searchId(dataset.fingerprint, cfg);
  const closed = s.searches.get(id);
  const trialIds = closed
    ? closedTrials(b, name, closed)
    : openTrials(b, cfg, dataset, datasetId, datasetOut, deadline, provisional, id, name);
  const searchNode = `${SEARCH} ${name}`;
  if (!closed) {
    b.pending({ id: ensembleId, step: 'train', kind: ENSEMBLE, deps: [searchNode], priorOf: { name } });
    return { name, ensemble: { id: ensembleId, action: null }, output: null };
  }
  if (datasetOut === undefined) {
    b.pending({ id: ensembleId, step: 'train', kind: ENSEMBLE, deps: [datasetId], priorOf: { name } });
    return { name, ensemble: { id: ensembleId, action: null }, output: null };
  }
  const top = ensembleCandidates(closed.leaderboard);
  const ensembleParams: EnsembleParams = {
    name,
    source,
    table: table.name,
    target: column,
    timeColumn,
    groupColumn: params.groupColumn,
    metric: datasetOut.metric,
    seed: goal.seed,
    timeBudgetMs: goal.timeBudgetMs,
    budgetUnits: goal.budgetUnits,
    families: cfg.families,
    search: id,
    leaderboard: closed.leaderboard,
    top,
  };
  const ensemble = planAction(b.kind(ENSEMBLE), ensembleParams, [dataset, ...top], { stopAt: deadline });
  const byFp = new Map(closed.leaderboard.map((e, i) => [e.id, trialIds[i]!]));
  b.queued({
    id: ensembleId,
    step: 'train',
    action: ensemble,
    deps: [searchNode],
    inputs: [{ node: datasetId }, ...top.map((fp) => ({ node: byFp.get(fp) ?? searchNode }))],
  });
  if (top.length === 0) {
    const why = closed.leaderboard.map((e) => e.error).find(Boolean);
    b.fail(
      ensembleId,
      `No trial finished within the budget${why ? ` (${why})` : ''}`,
      'Raise --time-budget or --budget-units.',
    );
  }
  const output = b.done(ensembleId) ? (b.output<TrainOutput>(ensemble.fingerprint) ?? null) : null;
  return { name, ensemble: { id: ensembleId, action: ensemble }, output };
}

/** The table and column to train on: the goal's, or the confirmed target; null (with a failed node) when there is none. */
function trainingTarget(b: PlanBuilder, goal: TrainGoal) {
  const s = b.state;
  const confirmed = confirmedTargetOf(s.tags);
  const column = goal.column ?? (goal.table === undefined ? confirmed?.column : undefined);
  const tableName = goal.table ?? confirmed?.table;
  const id = `${DATASET} ${goal.name ?? `${tableName ?? 'target'}.${column ?? ''}`}`;
  const fail = (message: string, hint: string) => {
    b.here({ id, step: 'train', kind: DATASET, state: 'blocked', reason: message, deps: [] });
    b.fail(id, message, hint);
    return null;
  };
  if (tableName === undefined || column === undefined) {
    return fail(
      'fathom train needs a target: --target TABLE.COLUMN, or one confirmed in review',
      'Name the column to predict, e.g. --target customers.churned, or confirm one: fathom tag customers.churned --target',
    );
  }
  const sourceName = goal.source ?? (goal.table === undefined ? confirmed?.source : undefined);
  const hits = s.sources.filter(
    (x) => (sourceName === undefined || x.name === sourceName) && x.tables.some((t) => t.name === tableName),
  );
  if (hits.length !== 1) {
    const known = s.sources.flatMap((x) => x.tables.map((t) => `${x.name}.${t.name}`));
    return hits.length === 0
      ? fail(
          `No table named ${tableName}${sourceName ? ` in source ${sourceName}` : ''}`,
          `Known tables: ${known.slice(0, 20).join(', ') || 'none'}.`,
        )
      : fail(
          `Table ${tableName} exists in several sources (${hits.map((h) => h.name).join(', ')})`,
          'Say which with --source NAME.',
        );
  }
  const table = hits[0]!.tables.find((t) => t.name === tableName)!;
  return { source: hits[0]!.name, table, column };
}

/** The trials of a closed search, as it recorded them: done, whatever their outcome. */
function closedTrials(b: PlanBuilder, name: string, closed: SearchRecord): string[] {
  const ids = closed.leaderboard.map((e) => `${TRIAL} ${name} #${e.trial}`);
  closed.leaderboard.forEach((e, i) => {
    b.here({
      id: ids[i]!,
      step: 'train',
      kind: TRIAL,
      state: 'reused',
      reason: e.status === 'ok' ? `${e.family}: ${e.metricValue}` : `${e.status}: ${e.error ?? ''}`,
      deps: [],
    });
  });
  b.here({
    id: `${SEARCH} ${name}`,
    step: 'train',
    kind: SEARCH,
    state: 'reused',
    reason: `closed: ${closed.leaderboard.length} trials in ${closed.rounds} rounds`,
    deps: ids,
  });
  return ids;
}

/** The trials proposed so far of a search still open, and the search node that closes it. */
function openTrials(
  b: PlanBuilder,
  cfg: SearchConfig,
  dataset: PlannedAction,
  datasetId: string,
  datasetOut: DatasetOutput | undefined,
  deadline: number | null,
  provisional: boolean,
  id: string,
  name: string,
): string[] {
  const s = b.state;
  const metric = datasetOut?.metric ?? cfg.metric;
  const threads = trialThreads(cfg, s.cores);
  const recordOf = (fp: string): TrialRecord | undefined => {
    const rec = b.record(fp);
    if (rec?.status === 'succeeded') {
      const output = b.output<TrialOutput>(fp);
      return output === undefined ? undefined : { status: 'ok', fingerprint: fp, output };
    }
    if (rec?.status === 'failed' && (!rec.stopped || rec.seq > s.runFrom)) {
      return { status: rec.stopped ? 'stopped' : 'failed', fingerprint: fp, error: rec.error ?? 'failed' };
    }
    return undefined;
  };
  const first = searchProgress(b.kind(TRIAL), dataset, cfg, metric, threads, recordOf, false);
  const slowest = first.leaderboard.reduce((m, e) => {
    const r = recordOf(e.id);
    return r?.status === 'ok' ? Math.max(m, r.output.ms) : m;
  }, 0);
  const stopAt =
    deadline === null || cfg.timeBudgetMs === null
      ? null
      : searchDeadline(deadline, cfg.timeBudgetMs, slowest, cfg.folds);
  const stop = stopAt !== null && s.now >= stopAt;
  const progress = stop ? searchProgress(b.kind(TRIAL), dataset, cfg, metric, threads, recordOf, true) : first;
  const ids = progress.leaderboard.map((e) => `${TRIAL} ${name} #${e.trial}`);
  progress.leaderboard.forEach((e, i) => {
    const planned = { ...progressAction(progress, e.id), stopAt };
    b.queued({
      id: ids[i]!,
      step: 'train',
      action: planned,
      deps: [datasetId],
      inputs: [{ node: datasetId }],
      provisional,
      failureIsResult: true,
    });
  });
  const done = progress.rounds.done && ids.every((t) => b.done(t));
  // The model's search ran before on other data: this one runs again for the same reason.
  const cause = [...s.searches.values()].some((x) => x.name === name) ? b.staleCause([datasetId]) : null;
  const record: SearchRecord = {
    id,
    name,
    dataset: dataset.fingerprint,
    leaderboard: progress.leaderboard,
    rounds: progress.rounds.rounds,
    unitsUsed: progress.rounds.unitsUsed,
  };
  b.here({
    id: `${SEARCH} ${name}`,
    step: 'train',
    kind: SEARCH,
    state: done ? 'ready' : cause ? 'stale' : 'blocked',
    reason: done
      ? `close the search: ${progress.leaderboard.length} trials in ${progress.rounds.rounds} rounds`
      : cause
        ? `${cause}; round ${progress.rounds.rounds} of the search runs first`
        : progress.pending.length > 0
          ? `round ${progress.rounds.rounds}: ${progress.pending.length} trials to run; later rounds follow from their results`
          : 'waits for the trials',
    deps: ids,
    ...(done ? { work: { record } } : {}),
  });
  return ids;
}

function progressAction(p: ReturnType<typeof searchProgress>, fp: string): PlannedAction {
  const a = p.actions.get(fp);
  if (!a) throw new Error(`trial ${fp.slice(0, 12)}… was not planned by the search`);
  return a;
}

function pendingRest(b: PlanBuilder, name: string, ensembleId: string, deps: readonly string[]): Trained {
  b.pending({ id: `${SEARCH} ${name}`, step: 'train', kind: SEARCH, deps });
  b.pending({ id: ensembleId, step: 'train', kind: ENSEMBLE, deps: [`${SEARCH} ${name}`], priorOf: { name } });
  return { name, ensemble: { id: ensembleId, action: null }, output: null };
}
