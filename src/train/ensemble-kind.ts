import type { ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import { FathomError } from '../util/fathom-error.js';
import type { MetricName } from '../learn/eval/metrics.js';
import type { Family } from '../learn/search/learners.js';
import type { DatasetOutput } from './dataset-kind.js';
import type { TrialOutput } from './trial-kind.js';
import type { LeaderboardRow } from './train-search.js';
export { ensembleCandidates, ENSEMBLE_CANDIDATES } from './train-search.js';
import { finishModel } from './finish-model.js';
import type { ModelCard } from './model-card.js';
import { datasetAt, foldsOf } from './trial-runtime.js';

/** The projection where trained models are listed: key = model name. */
export const MODELS = 'models';

export interface ModelRecord {
  readonly model: string;
  readonly card: ModelCard;
  readonly metrics: ModelCard['metrics'];
  readonly createdAt: string;
}

/** A closed search, and what the model card says of the request that made it. */
export interface EnsembleParams {
  readonly name: string;
  readonly source: string;
  readonly table: string;
  readonly target: string;
  readonly timeColumn: string | null;
  readonly groupColumn: string | null;
  readonly metric: MetricName;
  readonly seed: number;
  readonly timeBudgetMs: number | null;
  readonly budgetUnits: number | null;
  readonly families: readonly Family[] | null;
  /** The search (train-search.ts searchId) and its trials, in proposal order. */
  readonly search: string;
  readonly leaderboard: readonly LeaderboardRow[];
  /** Fingerprints of the trials the ensemble chooses from, best first: inputs 2… of the action. */
  readonly top: readonly string[];
}

export interface TrainOutput {
  readonly name: string;
  readonly model: string;
  readonly card: ModelCard;
  readonly leaderboard: readonly LeaderboardRow[];
}

/**
 * `learn.train`: the ensemble over a closed search, refit on every row, measured and
 * explained, saved with its model card. Its inputs are the dataset and the candidate trials,
 * so it runs on any worker; under a time budget its queue row's stop time is the training's
 * deadline, and a refit that does not finish in time leaves the member's fold models.
 */
export const ensembleKind: ActionKind<EnsembleParams, TrainOutput> = registerActionKind({
  kind: 'learn.train',
  // 2: the card names a training profile. 3: the scoring plan knows a snapshot cutoff.
  // 4: an ensemble over a search that ran as queued trials.
  version: '4',
  subject: (p) => p.name,
  async run(ctx, params, inputs) {
    const dataset = inputs[0]?.value as DatasetOutput | undefined;
    const trials = inputs.slice(1).map((i) => i.value as TrialOutput | undefined);
    if (dataset === undefined || trials.length === 0 || trials.some((t) => t === undefined)) {
      throw new FathomError('failed', `No trial finished within the budget${firstError(params.leaderboard)}`, {
        hint: 'Raise --time-budget or --budget-units.',
      });
    }
    const data = await datasetAt(ctx.objects, dataset.object);
    const folds = foldsOf(dataset.object, data, dataset.split.folds, dataset.split.seed);
    return finishModel({ ctx, params, dataset, data, folds, trials: trials as TrialOutput[] });
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
});

const firstError = (lb: readonly LeaderboardRow[]): string => {
  const why = lb.map((e) => e.error).find(Boolean);
  return why ? ` (${why})` : '';
};
