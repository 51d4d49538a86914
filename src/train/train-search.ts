import { hashJson } from '../util/hash.js';
import { planAction, type PlannedAction } from '../orchestrate/plan.js';
import { metricScore, type MetricName } from '../learn/eval/metrics.js';
import { LEARNERS, type Family } from '../learn/search/learners.js';
import { searchRounds, type SearchRounds, type TrialConfig, type TrialResult } from '../learn/search/search-rounds.js';
import { trialKind, type TrialOutput, type TrialParams } from './trial-kind.js';

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
  return planAction(trialKind, params, [dataset], { maxAttempts: 3 });
}

export interface SearchProgress {
  readonly rounds: SearchRounds;
  /** The frontier round's trials that have no result yet, as actions to queue. */
  readonly pending: readonly PlannedAction[];
  /** Every trial proposed so far, numbered in proposal order, with its result. */
  readonly leaderboard: readonly LeaderboardRow[];
}

/**
 * Where the search of `cfg` on `dataset` stands, from the trials recorded so far: the rounds
 * replayed (learn/search/search-rounds.ts) and the trials to run next. Pure: `recordOf` reads
 * the recorded outcome of a trial fingerprint. `metric` is the one trials are scored on (the
 * dataset's, once it ran); `stop` says the time budget allows no new round.
 */
export function searchProgress(
  dataset: PlannedAction | string,
  cfg: SearchConfig,
  metric: MetricName | null,
  threads: number,
  recordOf: (fingerprint: string) => TrialRecord | undefined,
  stop: boolean,
): SearchProgress {
  const learners = cfg.families ? LEARNERS.filter((l) => cfg.families!.includes(l.family)) : LEARNERS;
  const planned = new Map<string, PlannedAction>();
  const actionOf = (c: TrialConfig): PlannedAction => {
    const key = `${c.family}:${hashJson(c.params)}`;
    let a = planned.get(key);
    if (!a) planned.set(key, (a = plannedTrial(dataset, cfg, c, threads)));
    return a;
  };
  const resultOf = (c: TrialConfig): TrialResult | undefined => {
    const r = recordOf(actionOf(c).fingerprint);
    if (r === undefined) return undefined;
    if (r.status !== 'ok') return { status: r.status, score: Number.NaN, units: 0 };
    const score = metric === null ? Number.NaN : metricScore(metric, r.output.metricValue);
    return { status: 'ok', score, units: r.output.units };
  };
  const rounds = searchRounds({ learners, seed: cfg.seed, budgetUnits: cfg.budgetUnits }, resultOf, stop);
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
  return { rounds, pending: rounds.pending.map(actionOf), leaderboard };
}
