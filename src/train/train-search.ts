import { hashJson } from '../util/hash.js';
import { planAction, type PlannedAction } from '../orchestrate/plan.js';
import { metricScore, type MetricName } from '../learn/eval/metrics.js';
import { SEARCH_SPACES, type Family } from '../learn/search/search-space.js';
import { searchRounds, type SearchRounds, type TrialConfig, type TrialResult } from '../learn/search/search-rounds.js';
import type { TrialOutput, TrialParams } from './trial-kind.js';

/** A kind's name and code version: what a planned action needs of it (the registry has it). */
export interface KindId {
  readonly kind: string;
  readonly version: string;
}

/** How one model's search runs: what the trials share, and its budget. */
export interface SearchConfig {
  readonly name: string;
  /** Model families to search (null: all). */
  readonly families: readonly Family[] | null;
  readonly seed: number;
  readonly folds: number;
  /** The metric asked for; null lets the dataset choose (the task's first). */
  readonly metric: MetricName | null;
  readonly budgetUnits: number | null;
  readonly timeBudgetMs: number | null;
  /** At most this many trials (null: as many as the budget allows). */
  readonly maxTrials: number | null;
}

/** A trial as the search left it, as recorded (for a trial that never ran: undefined). */
export type TrialRecord =
  | { readonly status: 'ok'; readonly fingerprint: string; readonly output: TrialOutput }
  | { readonly status: 'failed' | 'stopped'; readonly fingerprint: string; readonly error: string };

/** One trial of a closed search, as the ensemble and the model card read it: no clock in it. */
export interface LeaderboardRow extends TrialConfig {
  readonly trial: number;
  readonly id: string;
  readonly status: 'ok' | 'failed' | 'stopped';
  readonly metricValue: number | null;
  readonly score: number | null;
  readonly foldScores: ReadonlyArray<number | null>;
  readonly units: number;
  readonly error?: string;
}

/** A search's identity: the dataset it runs on and everything that steers it. */
export function searchId(dataset: string, cfg: SearchConfig): string {
  return hashJson({ dataset, ...cfg, families: cfg.families ? [...cfg.families].sort() : null });
}

/** Histogram sums over threads may round differently: a unit budget promises identical models. */
export const trialThreads = (cfg: SearchConfig, cores: number): number =>
  cfg.budgetUnits !== null ? 1 : Math.max(1, Math.min(2, cores));

/** The planned trial action of one configuration on one dataset. */
export function plannedTrial(
  trial: KindId,
  dataset: PlannedAction | string,
  cfg: SearchConfig,
  c: TrialConfig,
  threads: number,
): PlannedAction {
  const params: TrialParams = {
    name: cfg.name,
    family: c.family,
    params: c.params,
    metric: cfg.metric,
    folds: cfg.folds,
    seed: cfg.seed,
    threads,
  };
  return planAction(trial, params, [dataset], { maxAttempts: 3 });
}

export interface SearchProgress {
  readonly rounds: SearchRounds;
  /** The frontier round's trials that have no result yet, as actions to queue. */
  readonly pending: readonly PlannedAction[];
  /** Every trial proposed so far, numbered in proposal order, with its result. */
  readonly leaderboard: readonly LeaderboardRow[];
  /** The planned action of every trial proposed so far, by fingerprint. */
  readonly actions: ReadonlyMap<string, PlannedAction>;
}

/**
 * Where the search of `cfg` on `dataset` stands, from the trials recorded so far: the rounds
 * replayed (learn/search/search-rounds.ts) and the trials to run next. Pure: `recordOf` reads
 * the recorded outcome of a trial fingerprint. `metric` is the one trials are scored on (the
 * dataset's, once it ran); `stop` says the time budget allows no new round.
 */
export function searchProgress(
  trial: KindId,
  dataset: PlannedAction | string,
  cfg: SearchConfig,
  metric: MetricName | null,
  threads: number,
  recordOf: (fingerprint: string) => TrialRecord | undefined,
  stop: boolean,
): SearchProgress {
  const learners = cfg.families ? SEARCH_SPACES.filter((l) => cfg.families!.includes(l.family)) : SEARCH_SPACES;
  const planned = new Map<string, PlannedAction>();
  const actionOf = (c: TrialConfig): PlannedAction => {
    const key = `${c.family}:${hashJson(c.params)}`;
    let a = planned.get(key);
    if (!a) planned.set(key, (a = plannedTrial(trial, dataset, cfg, c, threads)));
    return a;
  };
  const resultOf = (c: TrialConfig): TrialResult | undefined => {
    const r = recordOf(actionOf(c).fingerprint);
    if (r === undefined) return undefined;
    if (r.status !== 'ok') return { status: r.status, score: Number.NaN, units: 0 };
    const score = metric === null ? Number.NaN : metricScore(metric, r.output.metricValue);
    return { status: 'ok', score, units: r.output.units };
  };
  const rounds = searchRounds(
    {
      learners,
      seed: cfg.seed,
      budgetUnits: cfg.budgetUnits,
      ...(cfg.maxTrials !== null ? { maxTrials: cfg.maxTrials } : {}),
    },
    resultOf,
    stop,
  );
  const leaderboard = rounds.trials.map((t, i): LeaderboardRow => {
    const a = actionOf(t.config);
    const r = recordOf(a.fingerprint);
    const ok = r?.status === 'ok' ? r.output : null;
    return {
      trial: i + 1,
      ...t.config,
      id: a.fingerprint,
      status: r?.status ?? 'stopped',
      metricValue: ok ? ok.metricValue : null,
      score: ok && metric !== null ? metricScore(metric, ok.metricValue) : null,
      foldScores: ok ? ok.foldScores : [],
      units: ok ? ok.units : 0,
      ...(r !== undefined && r.status !== 'ok' ? { error: r.error } : {}),
    };
  });
  const actions = new Map([...planned.values()].map((a) => [a.fingerprint, a]));
  return { rounds, pending: rounds.pending.map(actionOf), leaderboard, actions };
}

/** How many of the best trials the ensemble chooses from (Caruana selection over their out-of-fold predictions). */
export const ENSEMBLE_CANDIDATES = 8;

/** The best completed trials, best first (ties keep proposal order): the ensemble's candidates. */
export function ensembleCandidates(leaderboard: readonly LeaderboardRow[]): string[] {
  return leaderboard
    .filter((t) => t.status === 'ok' && t.score !== null && Number.isFinite(t.score))
    .map((t, i) => ({ t, i }))
    .sort((a, b) => b.t.score! - a.t.score! || a.i - b.i)
    .slice(0, ENSEMBLE_CANDIDATES)
    .map((x) => x.t.id);
}

/**
 * Time kept after the search for selection, refit, importance and saving: the refit of up to two
 * members of the size of the slowest completed trial so far (a trial fits `folds` models on
 * (folds−1)/folds of the rows; a refit fits one on all of them), plus a margin; at least 5% and
 * at most 15% of the budget. An estimate too low costs only the refit: the fold models are kept.
 */
export function finishingReserve(slowestTrialMs: number, budget: number, folds: number): number {
  const refit = ((2 * slowestTrialMs) / folds) * (folds / Math.max(1, folds - 1));
  return Math.min(0.15 * budget, Math.max(0.05 * budget, refit * 1.5 + 200));
}

/**
 * When a search under a time budget stops starting rounds: the training's deadline, less the
 * time saving takes (a few hundred ms of fsyncs on a busy disk) and the finishing reserve.
 */
export function searchDeadline(
  trainingDeadline: number,
  budget: number,
  slowestTrialMs: number,
  folds: number,
): number {
  const save = Math.max(0.02 * budget, 300);
  return trainingDeadline - save - finishingReserve(slowestTrialMs, budget, folds);
}
