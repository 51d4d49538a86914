import type { Workspace } from '../workspace/open-workspace.js';
import type { ConnectEnv } from '../sources/record-source.js';
import { FathomError, badInput } from '../util/fathom-error.js';
import type { ModelVersion } from '../deploy/model-registry.js';
import type { TrainOutput } from '../train/ensemble-kind.js';
import type { LeaderboardRow } from '../train/train-search.js';
import type { TrialOutput } from '../train/trial-kind.js';
import { runPipeline, type RunHooks } from './run-pipeline.js';
import type { PipelineGoals, TrainGoal } from './pipeline-goals.js';
import { nodeOutput } from './load-state.js';

export interface TrainOutcome extends Omit<TrainOutput, 'leaderboard'> {
  /** The search's trials with how long each ran (ms, where it ran; not part of the stored result). */
  readonly leaderboard: ReadonlyArray<LeaderboardRow & { readonly ms: number | null }>;
  /** The ensemble was reused: nothing about the data or the options changed. */
  readonly reused: boolean;
  /** Trials this call ran, and trials of its search whose results were in the ledger already. */
  readonly trialsRun: number;
  readonly trialsReused: number;
  /** This call's wall time. */
  readonly wallMs: number;
  /** The version the model is registered as (a candidate, unless it was promoted before). */
  readonly registered: ModelVersion | null;
  /** The `pipeline.run` ledger entry. */
  readonly seq: number;
}

export interface TrainOptions {
  readonly workers?: number | 'joined';
  /** When the time budget started (the command's own start). */
  readonly startedAt?: number;
}

/**
 * `fathom train`: a model for a table's column (default: the confirmed target), registered as a
 * candidate version, through the planner: the confirmed target trains on its feature matrix
 * (built or reused first), another column on its table alone; the search runs as queued
 * trials, round by round, on this process or the workers.
 */
export async function trainProject(
  ws: Workspace,
  env: ConnectEnv,
  goal: TrainGoal,
  options: TrainOptions = {},
  hooks: RunHooks = {},
): Promise<TrainOutcome> {
  const startedAt = options.startedAt ?? Date.now();
  if (goal.folds < 2) throw badInput(`--folds must be at least 2, got ${goal.folds}`, 'Use --folds 5 (the default).');
  const goals: PipelineGoals = {
    sources: null,
    review: null,
    roundTwo: false,
    features: null,
    train: goal,
    production: null,
  };
  const run = await runPipeline(ws, env, { goals, workers: options.workers ?? 0, trainingStartedAt: startedAt }, hooks);
  if (!run.train)
    throw new FathomError('failed', 'training did not finish', { hint: 'see fathom log --status failed' });
  const trials = run.nodes.filter((n) => n.kind === 'learn.trial');
  const ms = new Map<string, number>();
  for (const e of run.train.leaderboard) {
    if (e.status !== 'ok') continue;
    const out = await nodeOutput<TrialOutput>(ws, { action: { fingerprint: e.id } });
    if (out) ms.set(e.id, out.ms);
  }
  const ranHere = trials.filter((n) => n.outcome === 'ran' || n.outcome === 'failed').length;
  return {
    ...run.train,
    leaderboard: run.train.leaderboard.map((e) => ({ ...e, ms: ms.get(e.id) ?? null })),
    reused: run.nodes.find((n) => n.kind === 'learn.train')?.outcome !== 'ran',
    trialsRun: ranHere,
    trialsReused: run.train.leaderboard.length - ranHere,
    wallMs: Date.now() - startedAt,
    registered: run.model,
    seq: run.seq,
  };
}
