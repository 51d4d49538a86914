import { availableParallelism } from 'node:os';
import type { Workspace } from '../workspace/open-workspace.js';
import { planAction, makePlan, type PlannedAction } from '../orchestrate/plan.js';
import { executePlan, type PlanRunner } from '../orchestrate/run-plan.js';
import { ACTIONS, readActionOutput, recordedError, type ActionRecord } from '../orchestrate/run-action.js';
import { connectAndRecord, type ConnectEnv } from '../sources/record-source.js';
import { badInput, FathomError } from '../util/fathom-error.js';
import type { MetricName } from '../learn/eval/metrics.js';
import type { Family } from '../learn/search/learners.js';
import { featureSetForTraining } from '../features/training-features.js';
import { tableReview } from '../metadata/table-review.js';
import { findTable, type TrainingRequest } from './load-training-table.js';
import { datasetKind, keptFeatures, type DatasetOutput, type DatasetParams } from './dataset-kind.js';
import { ensembleCandidates, ensembleKind, type EnsembleParams, type TrainOutput } from './ensemble-kind.js';
import { closeSearch, SEARCHES, type SearchRecord } from './search-record.js';
import {
  searchId,
  searchProgress,
  trialThreads,
  type LeaderboardRow,
  type SearchConfig,
  type TrialRecord,
} from './train-search.js';
import type { TrialOutput } from './trial-kind.js';
import { prewarmTrialPool } from './trial-runtime.js';

export { MODELS, type ModelRecord, type TrainOutput } from './ensemble-kind.js';

/** What to load (table, target, split columns) and how to search. */
export interface TrainRequest extends TrainingRequest {
  readonly metric?: MetricName;
  readonly seed: number;
  readonly folds: number;
  /** Wall-clock budget for the whole training, from `startedAt`. */
  readonly timeBudgetMs: number | null;
  /** Work-unit budget for the search: the result then does not depend on the machine's speed. */
  readonly budgetUnits: number | null;
  readonly name?: string;
  /** Model families to search (default: all). */
  readonly families?: readonly Family[];
  /** false: train on the table alone, even when related tables give a feature matrix. */
  readonly features?: boolean;
}

export interface TrainOutcome extends Omit<TrainOutput, 'leaderboard'> {
  /** The search's trials with how long each ran (ms, where it ran; not part of the stored result). */
  readonly leaderboard: ReadonlyArray<LeaderboardRow & { readonly ms: number | null }>;
  /** The ensemble was reused: nothing about the data or the options changed. */
  readonly reused: boolean;
  readonly seq: number;
  /** Trials this call ran, and trials of its search whose results were in the ledger already. */
  readonly trialsRun: number;
  readonly trialsReused: number;
  /** This call's wall time. */
  readonly wallMs: number;
}

export interface TrainHooks {
  /** When the budget started (epoch ms); the CLI passes its own start. */
  readonly startedAt?: number;
  readonly progress?: (line: string) => void;
  /** Who runs the queued actions: a worker in this process (the default), or worker processes. */
  readonly runner?: PlanRunner;
}

/**
 * Train a model on one table's target column: a `learn.dataset` action reads the rows once;
 * the search runs in rounds of queued `learn.trial` actions (any worker, on any machine, takes
 * them); once the budget is used the search is recorded as closed, and a queued `learn.train`
 * action builds the ensemble and its model card. Everything is reused while the data and the
 * options are unchanged.
 */
export async function trainModel(
  ws: Workspace,
  env: ConnectEnv,
  req: TrainRequest,
  hooks: TrainHooks = {},
): Promise<TrainOutcome> {
  const startedAt = hooks.startedAt ?? Date.now();
  const deadline = req.timeBudgetMs === null ? null : startedAt + req.timeBudgetMs;
  const progress = hooks.progress;
  // Every progress line starts with the time since the budget started.
  const say = progress
    ? (line: string) => progress(`[${((Date.now() - startedAt) / 1000).toFixed(2)} s] ${line}`)
    : () => undefined;
  if (req.folds < 2) throw badInput(`--folds must be at least 2, got ${req.folds}`, 'Use --folds 5 (the default).');
  const runner: PlanRunner = hooks.runner ?? { kind: 'here', backoffSeconds: 0.2 };
  if (runner.kind === 'here') prewarmTrialPool();
  const ledger = await ws.ledger();
  const runFrom = (await ledger.head()).seq;
  const first = await findTable(ws, req.table, req.source);
  // Re-discover the source first, as explore does: changed data gets a new fingerprint.
  await connectAndRecord(
    ws,
    { name: first.source, location: first.record.location, options: first.record.options },
    { ...env, cwd: ws.paths.root },
  );
  const found = await findTable(ws, req.table, first.source);
  const featureSet =
    req.features === false
      ? null
      : await featureSetForTraining(ws, { source: found.source, table: req.table, column: req.column }, env, say);
  say(
    featureSet
      ? `loading the feature matrix of ${req.table}.${req.column}: ${featureSet.selection.kept.length} features selected of ${featureSet.features.length} over related tables`
      : `loading ${found.source}.${req.table}`,
  );
  // Rows of a cutoff table may repeat an entity at several cutoffs: its rows stay in one fold.
  const grouped =
    featureSet?.cutoff.kind === 'table' &&
    req.groupColumn === undefined &&
    req.timeColumn === undefined &&
    featureSet.key.length === 1;
  if (grouped) say(`group k-fold on ${featureSet!.key[0]}: an entity's rows at several cutoffs stay in one fold`);
  const name = req.name ?? `${req.table}.${req.column}`;
  const datasetParams: DatasetParams = {
    name,
    source: found.source,
    table: req.table,
    target: req.column,
    task: req.task ?? null,
    timeColumn: req.timeColumn ?? null,
    groupColumn: grouped ? featureSet!.key[0]! : (req.groupColumn ?? null),
    metric: req.metric ?? null,
    matrix: featureSet ? { fingerprint: featureSet.matrix.fingerprint, kept: keptFeatures(featureSet) } : null,
    split: { folds: req.folds, seed: req.seed },
  };
  // Actions record (and are keyed by) the review decisions about this table they used.
  const metadataVersion = (await tableReview(ws, found.source, found.table)).version;
  const datasetAction = planAction(
    datasetKind,
    datasetParams,
    [featureSet ? featureSet.matrix.fingerprint : found.table.fingerprint],
    { metadataVersion, stopAt: deadline },
  );
  const run = async (actions: readonly PlannedAction[]) => {
    const out = await executePlan(ws, makePlan(actions), runner, { log: env.log ?? (() => undefined) });
    return new Set(out.failed.map((f) => f.fingerprint));
  };
  const failedDataset = await run([datasetAction]);
  const dataset = (await outputOf<DatasetOutput>(ws, datasetAction.fingerprint, failedDataset))!;

  const cfg: SearchConfig = {
    name,
    families: req.families ? [...req.families].sort() : null,
    seed: req.seed,
    folds: req.folds,
    metric: req.metric ?? null,
    budgetUnits: req.budgetUnits,
    timeBudgetMs: req.timeBudgetMs,
  };
  const threads = trialThreads(cfg, availableParallelism());
  const id = searchId(datasetAction.fingerprint, cfg);
  const records = trialRecords(ws, runFrom);
  let closed = (await ledger.getState<SearchRecord>(SEARCHES, id))?.value;
  const ranHere = new Set<string>();
  if (!closed) {
    const budget = req.timeBudgetMs ?? 0;
    // Saving writes two objects and a ledger entry, each fsynced: a few hundred ms on a busy disk.
    const saveReserve = Math.max(0.02 * budget, 300);
    for (let round = 1; ; round++) {
      const lb = (await records.progress(datasetAction, cfg, dataset.metric, threads, false)).leaderboard;
      const searchDeadline =
        deadline === null
          ? null
          : deadline - saveReserve - finishingReserve(lb, await records.ms(lb), budget, req.folds);
      const stop = searchDeadline !== null && Date.now() >= searchDeadline;
      const now = await records.progress(datasetAction, cfg, dataset.metric, threads, stop);
      if (now.rounds.done) {
        closed = {
          id,
          name,
          dataset: datasetAction.fingerprint,
          leaderboard: now.leaderboard,
          rounds: now.rounds.rounds,
          unitsUsed: now.rounds.unitsUsed,
        };
        await closeSearch(ledger, ws.config.workerId, closed);
        say(
          `search closed after ${now.rounds.rounds} rounds: ${now.leaderboard.length} trials, ${now.rounds.unitsUsed} units`,
        );
        break;
      }
      // The dataset is done: the trials wait for nothing else.
      const queued = now.pending.map((a) => ({ ...a, dependsOn: [], stopAt: searchDeadline }));
      await run(queued);
      for (const q of queued) ranHere.add(q.fingerprint);
      const after = await records.progress(datasetAction, cfg, dataset.metric, threads, stop);
      for (const e of after.leaderboard.filter((x) => queued.some((q) => q.fingerprint === x.id))) {
        say(progressLine(e, after.leaderboard, dataset.metric, deadline, after.rounds.unitsUsed));
      }
    }
  }
  const top = ensembleCandidates(closed.leaderboard);
  if (top.length === 0) {
    const why = closed.leaderboard.map((e) => e.error).find(Boolean);
    throw new FathomError('failed', `No trial finished within the budget${why ? ` (${why})` : ''}`, {
      hint: 'Raise --time-budget or --budget-units.',
    });
  }
  const params: EnsembleParams = {
    name,
    source: found.source,
    table: req.table,
    target: req.column,
    timeColumn: req.timeColumn ?? null,
    groupColumn: datasetParams.groupColumn,
    metric: dataset.metric,
    seed: req.seed,
    timeBudgetMs: req.timeBudgetMs,
    budgetUnits: req.budgetUnits,
    families: cfg.families,
    search: id,
    leaderboard: closed.leaderboard,
    top,
  };
  const ensemble = planAction(ensembleKind, params, [datasetAction, ...top], { stopAt: deadline });
  const failed = await run([{ ...ensemble, dependsOn: [] }]);
  const out = (await outputOf<TrainOutput>(ws, ensemble.fingerprint, failed))!;
  const [last] = await ledger.entries({ fingerprint: ensemble.fingerprint, descending: true, limit: 1 });
  const fresh = last !== undefined && last.seq > runFrom && last.status === 'succeeded';
  const ms = await records.ms(closed.leaderboard);
  return {
    ...out,
    leaderboard: closed.leaderboard.map((e, i) => ({ ...e, ms: e.status === 'ok' ? (ms[i] ?? null) : null })),
    reused: !fresh,
    seq: last?.seq ?? 0,
    trialsRun: ranHere.size,
    trialsReused: closed.leaderboard.filter((e) => !ranHere.has(e.id)).length,
    wallMs: Date.now() - startedAt,
  };
}

/** A succeeded action's output, or the error it failed with (named, with its hint). */
async function outputOf<T>(ws: Workspace, fingerprint: string, failed: ReadonlySet<string>): Promise<T> {
  const rec = (await (await ws.ledger()).getState<ActionRecord>(ACTIONS, fingerprint))?.value;
  if (failed.has(fingerprint) || rec?.status !== 'succeeded')
    throw recordedError(rec, `action ${fingerprint.slice(0, 12)}…`);
  return (await readActionOutput(await ws.objects(), rec)) as T;
}

/**
 * Trial outcomes as the ledger records them, cached once final. A trial stopped by the time
 * budget of an earlier run is no result: this run has time of its own to give it.
 */
function trialRecords(ws: Workspace, runFrom: number) {
  const known = new Map<string, TrialRecord>();
  const lookup = async (fps: readonly string[]): Promise<void> => {
    const ledger = await ws.ledger();
    const objects = await ws.objects();
    for (const fp of fps) {
      if (known.has(fp)) continue;
      const row = await ledger.getState<ActionRecord>(ACTIONS, fp);
      const rec = row?.value;
      if (rec?.status === 'succeeded') {
        known.set(fp, { status: 'ok', fingerprint: fp, output: (await readActionOutput(objects, rec)) as TrialOutput });
      } else if (rec?.status === 'failed' && (!rec.stopped || row!.seq > runFrom)) {
        known.set(fp, { status: rec.stopped ? 'stopped' : 'failed', fingerprint: fp, error: rec.error ?? 'failed' });
      }
    }
  };
  return {
    /** The search's progress, looking up the records of every trial it proposes until none is new. */
    async progress(dataset: PlannedAction, cfg: SearchConfig, metric: MetricName, threads: number, stop: boolean) {
      for (;;) {
        const p = searchProgress(dataset, cfg, metric, threads, (fp) => known.get(fp), stop);
        const missing = p.leaderboard.map((e) => e.id).filter((fp) => !known.has(fp));
        const before = known.size;
        await lookup(missing);
        if (known.size === before) return p;
      }
    },
    async ms(lb: readonly LeaderboardRow[]): Promise<number[]> {
      return lb.map((e) => {
        const r = known.get(e.id);
        return r?.status === 'ok' ? r.output.ms : 0;
      });
    },
  };
}

/**
 * Time kept after the search for selection, refit, importance and saving: the refit of up to two
 * members of the size of the slowest completed trial so far (a trial fits `folds` models on
 * (folds−1)/folds of the rows; a refit fits one on all of them), plus a margin; at least 5% and
 * at most 15% of the budget. An estimate too low costs only the refit: the fold models are kept.
 */
export function finishingReserve(
  leaderboard: readonly LeaderboardRow[],
  ms: readonly number[],
  budget: number,
  folds: number,
): number {
  const slowest = leaderboard.reduce((m, e, i) => (e.status === 'ok' ? Math.max(m, ms[i] ?? 0) : m), 0);
  const refit = ((2 * slowest) / folds) * (folds / Math.max(1, folds - 1));
  return Math.min(0.15 * budget, Math.max(0.05 * budget, refit * 1.5 + 200));
}

function progressLine(
  e: LeaderboardRow,
  lb: readonly LeaderboardRow[],
  metric: MetricName,
  deadline: number | null,
  units: number,
): string {
  const cfg = Object.entries(e.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const best = lb.filter((x) => x.score !== null).sort((a, b) => b.score! - a.score!)[0];
  const result = e.status === 'ok' ? `${metric} ${e.metricValue!.toFixed(4)}` : e.status;
  const left =
    deadline === null ? `${units} units used` : `${Math.max(0, (deadline - Date.now()) / 1000).toFixed(1)} s left`;
  return `trial ${e.trial} ${e.family} ${cfg}: ${result}; best ${best ? best.metricValue!.toFixed(4) : '-'}; ${left}`;
}
