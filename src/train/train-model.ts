import { availableParallelism } from 'node:os';
import type { Workspace } from '../workspace/open-workspace.js';
import type { ActionKind } from '../orchestrate/action-kind.js';
import { runAction } from '../orchestrate/run-action.js';
import { connectAndRecord, type ConnectEnv } from '../sources/record-source.js';
import { badInput, FathomError } from '../util/fathom-error.js';
import { canonicalJson, hashJson } from '../util/hash.js';
import type { LabelledDataset } from '../learn/dataset.js';
import { metricsFor, type MetricName } from '../learn/eval/metrics.js';
import { planSplits, type SplitPlan } from '../learn/eval/splits.js';
import { LEARNERS, type Family } from '../learn/search/learners.js';
import { runSearch, type LeaderboardEntry } from '../learn/search/run-search.js';
import { createTrialPool, shareDataset, shareFolds, type TrialPool } from '../learn/search/trial-pool.js';
import { findTable, loadTrainingTable, type TrainingData, type TrainingRequest } from './load-training-table.js';
import { evaluateTrial } from './trial-action.js';
import { finishModel } from './finish-model.js';
import type { ModelCard } from './model-card.js';
import type { SourceRecord } from '../sources/source-actions.js';
import type { FeatureSetRecord } from '../features/feature-set-record.js';
import { featureSetForTraining } from '../features/training-features.js';
import { scoringPlanFor } from '../features/build-feature-set.js';
import type { ScoringPlan } from '../features/scoring-plan.js';
import { runContextFor } from '../orchestrate/run-context.js';

/** The projection where trained models are listed: key = model name. */
export const MODELS = 'models';

export interface ModelRecord {
  readonly model: string;
  readonly card: ModelCard;
  readonly metrics: ModelCard['metrics'];
  readonly createdAt: string;
}

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

export interface TrainOutput {
  readonly name: string;
  readonly model: string;
  readonly card: ModelCard;
  readonly leaderboard: readonly LeaderboardRow[];
}

/** A leaderboard entry as stored: a failed or stopped trial has no metric (null, not NaN). */
export type LeaderboardRow = Omit<LeaderboardEntry, 'metricValue' | 'score'> & {
  readonly metricValue: number | null;
  readonly score: number | null;
};

export interface TrainOutcome extends TrainOutput {
  readonly reused: boolean;
  readonly seq: number;
}

export interface TrainHooks {
  /** When the budget started (epoch ms); the CLI passes its own start. */
  readonly startedAt?: number;
  readonly progress?: (line: string) => void;
}

/**
 * Train a model on one table's target column: load and plan features, then one `learn.train`
 * action whose run searches (a `learn.trial` action per trial), selects an ensemble, refits it
 * and writes the model card. Its output is reused while the data and options are unchanged.
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
  const first = await findTable(ws, req.table, req.source);
  // Started before loading: a worker takes a while to load its modules, time the budget pays.
  const pool = createTrialPool({ prewarm: true });
  try {
    return await trainWithPool(ws, env, req, { first, pool, startedAt, deadline, say });
  } finally {
    await pool.close();
  }
}

interface TrainState {
  readonly first: Awaited<ReturnType<typeof findTable>>;
  readonly pool: TrialPool;
  readonly startedAt: number;
  /** Epoch ms when the whole training must be done; null with a unit budget only. */
  readonly deadline: number | null;
  readonly say: (line: string) => void;
}

async function trainWithPool(
  ws: Workspace,
  env: ConnectEnv,
  req: TrainRequest,
  state: TrainState,
): Promise<TrainOutcome> {
  const { first, pool, startedAt, deadline, say } = state;
  // Re-discover the source first, as explore does: changed data gets a new fingerprint.
  await connectAndRecord(
    ws,
    { name: first.source, location: first.record.location, options: first.record.options },
    { ...env, cwd: ws.paths.root },
  );
  const featureSet =
    req.features === false
      ? null
      : await featureSetForTraining(ws, { source: first.source, table: req.table, column: req.column }, env, say);
  say(
    featureSet
      ? `loading the feature matrix of ${req.table}.${req.column}: ${featureSet.selection.kept.length} features selected of ${featureSet.features.length} over related tables`
      : `loading ${first.source}.${req.table}`,
  );
  // Rows of a cutoff table may repeat an entity at several cutoffs: its rows stay in one fold.
  const grouped =
    featureSet?.cutoff.kind === 'table' &&
    req.groupColumn === undefined &&
    req.timeColumn === undefined &&
    featureSet.key.length === 1;
  if (grouped) say(`group k-fold on ${featureSet!.key[0]}: an entity's rows at several cutoffs stay in one fold`);
  const data = await loadTrainingTable(
    ws,
    { ...req, source: first.source, ...(grouped ? { groupColumn: featureSet!.key[0]! } : {}) },
    () => ws.vault(env.stdin),
    deadline,
    featureSet ?? undefined,
  );
  // The rows' data: the table's fingerprint, or the matrix action's (which covers every table it read).
  const dataFingerprint = featureSet?.matrix.fingerprint ?? data.table.fingerprint;
  const metric = req.metric ?? metricsFor(data.dataset.task.kind)[0]!;
  if (!metricsFor(data.dataset.task.kind).includes(metric)) {
    throw badInput(
      `Metric ${metric} does not fit a ${data.dataset.task.kind} target (${req.table}.${req.column})`,
      `Use one of: ${metricsFor(data.dataset.task.kind).join(', ')}.`,
    );
  }
  const split = splitFor(data, req);
  if (deadline !== null && Date.now() >= deadline) {
    throw new FathomError('failed', `The time budget (${req.timeBudgetMs} ms) ran out while loading ${req.table}`, {
      hint: 'Raise --time-budget.',
    });
  }
  const name = req.name ?? `${req.table}.${req.column}`;
  // Actions record (and are keyed by) the review decisions about this table they used.
  const run = { ...(await runContextFor(ws)), metadataVersion: data.metadataVersion };
  const params = {
    source: data.source,
    table: req.table,
    target: req.column,
    task: req.task ?? null,
    timeColumn: req.timeColumn ?? null,
    groupColumn: req.groupColumn ?? null,
    metric,
    seed: req.seed,
    folds: req.folds,
    timeBudgetMs: req.timeBudgetMs,
    budgetUnits: req.budgetUnits,
    name,
    families: req.families ? [...req.families].sort() : null,
  };
  const kind: ActionKind<typeof params, TrainOutput> = {
    kind: 'learn.train',
    // 2: the card names a training profile. 3: the scoring plan knows a snapshot cutoff.
    version: '3',
    run: async (ctx) => {
      const shared = shareDataset(data.dataset);
      const budget = req.timeBudgetMs ?? 0;
      // Saving writes two objects and a ledger entry, each fsynced: on a machine busy with
      // disk writes that took a few hundred ms, whatever the budget.
      const saveReserve = Math.max(0.02 * budget, 300);
      let unitsUsed = 0;
      const trialEnv = {
        run,
        pool,
        data: shared,
        folds: shareFolds(split.folds),
        tableFingerprint: dataFingerprint,
        seed: req.seed,
        // Histogram sums over threads may round differently: a unit budget promises identical models.
        threads: req.budgetUnits !== null ? 1 : Math.min(2, availableParallelism()),
        base: {
          table: `${data.source}.${req.table}`,
          target: req.column,
          plan: hashJson({ plan: data.plan, task: data.dataset.task }),
          split: { kind: split.kind, folds: req.folds, seed: req.seed },
          metric,
        },
      };
      const outcome = await runSearch({
        learners: req.families ? LEARNERS.filter((l) => req.families!.includes(l.family)) : LEARNERS,
        seed: req.seed,
        deadline: deadline === null ? null : (lb) => deadline - saveReserve - finishingReserve(lb, budget, req.folds),
        budgetUnits: req.budgetUnits,
        evaluate: (config, stopAt) => evaluateTrial(trialEnv, config, stopAt),
        onTrial: (e, best) => say(progressLine(e, best, metric, deadline, (unitsUsed += e.units))),
      });
      if (outcome.top.length === 0) {
        const why = outcome.leaderboard.map((e) => e.error).filter(Boolean)[0];
        throw new FathomError('failed', `No trial finished within the budget${why ? ` (${why})` : ''}`, {
          hint: 'Raise --time-budget or --budget-units.',
        });
      }
      return await finishModel({
        ctx,
        pool,
        data: shared,
        plan: data.plan,
        split,
        metric,
        req,
        name,
        source: data.source,
        tableFingerprint: dataFingerprint,
        ...(featureSet ? featureCard(featureSet, data, first.record.kind) : {}),
        rowsDropped: data.droppedRows,
        outcome,
        startedAt,
        refitStop: deadline === null ? null : deadline - 0.03 * budget,
        importanceStop: deadline === null ? null : deadline - 0.02 * budget,
        say,
      });
    },
    project: (value) => [
      {
        collection: MODELS,
        key: value.name,
        value: {
          model: value.model,
          card: value.card,
          metrics: value.card.metrics,
          createdAt: value.card.createdAt,
        } satisfies ModelRecord,
      },
    ],
  };
  const result = await runAction(run, kind, params, [{ fingerprint: dataFingerprint }]);
  return { ...result.value, reused: result.reused, seq: result.seq };
}

/** What the model card says of the feature matrix, and the scoring plan for the model's features. */
function featureCard(
  fs: FeatureSetRecord,
  data: TrainingData,
  engineKind: SourceRecord['kind'],
): { featureSet: NonNullable<ModelCard['featureSet']>; scoring: ScoringPlan } {
  return {
    featureSet: {
      matrix: fs.matrix.fingerprint,
      depth: fs.depth,
      cutoff: fs.cutoff,
      windowDays: fs.windowDays,
      synthesized: fs.features.length,
      selected: fs.selection.kept.length,
    },
    scoring: scoringPlanFor(
      fs,
      data.plan.features.map((p) => p.column),
      engineKind,
      data.table.columns,
    ),
  };
}

/**
 * Time kept after the search for selection, refit, importance and saving: the refit of up to two
 * members of the size of the slowest completed trial so far (a trial fits `folds` models on
 * (folds−1)/folds of the rows; a refit fits one on all of them), plus a margin; at least 5% and
 * at most 15% of the budget. An estimate too low costs only the refit: the fold models are kept.
 */
export function finishingReserve(leaderboard: readonly LeaderboardEntry[], budget: number, folds: number): number {
  const slowest = leaderboard.filter((e) => e.status === 'ok' && !e.reused).reduce((m, e) => Math.max(m, e.ms), 0);
  const refit = ((2 * slowest) / folds) * (folds / Math.max(1, folds - 1));
  return Math.min(0.15 * budget, Math.max(0.05 * budget, refit * 1.5 + 200));
}

function progressLine(
  e: LeaderboardEntry,
  best: LeaderboardEntry | null,
  metric: MetricName,
  deadline: number | null,
  units: number,
): string {
  const cfg = Object.entries(e.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const result = e.status === 'ok' ? `${metric} ${e.metricValue.toFixed(4)}${e.reused ? ' (reused)' : ''}` : e.status;
  const left =
    deadline === null ? `${units} units used` : `${Math.max(0, (deadline - Date.now()) / 1000).toFixed(1)} s left`;
  return `trial ${e.trial} ${e.family} ${cfg}: ${result}; best ${best ? best.metricValue.toFixed(4) : '-'}; ${left}`;
}

function splitFor(data: TrainingData, req: TrainRequest): SplitPlan {
  const d: LabelledDataset = data.dataset;
  if (d.task.kind !== 'regression' && !d.time) {
    const counts = new Map<number, number>();
    for (const y of d.target) counts.set(y, (counts.get(y) ?? 0) + 1);
    for (const [c, n] of counts) {
      if (n < req.folds && d.task.kind === 'binary') {
        throw badInput(
          `Target ${req.table}.${req.column} has only ${n} rows of class ${JSON.stringify(d.task.classes![c])}, fewer than the ${req.folds} folds`,
          `Use fewer folds (--folds ${Math.max(2, n)}) or more data.`,
        );
      }
    }
  }
  try {
    return planSplits(d, req.folds, req.seed);
  } catch (err) {
    throw badInput(
      `Cannot split ${req.table} into ${req.folds} folds: ${err instanceof Error ? err.message : String(err)}`,
      'Use fewer --folds.',
    );
  }
}

/** Canonical JSON of a model, as stored (exported for tests comparing model bytes). */
export const modelBytes = (json: unknown): string => canonicalJson(json);
