import type { TaskKind } from '../learn/dataset.js';
import type { MetricName } from '../learn/eval/metrics.js';
import type { Family } from '../learn/search/learners.js';
import type { FeatureOptions } from '../features/feature-options.js';

/**
 * What a person wants of the project: the planner derives the work from these and the state.
 * Each command sets the goals it stands for: `fathom explore` exploration, `fathom features` a
 * feature set, `fathom train` a registered model, `fathom run` all of it up to production.
 */
export interface PipelineGoals {
  /** Sources to explore (null: every connected one); other sources' profiled tables take part in relationships. */
  readonly sources: readonly string[] | null;
  /**
   * Stop at the metadata review for a person, unless approved ahead of time: `all` accepts
   * every proposal (--yes), a number those at least that confident (--accept-above). null: no
   * gate (the commands that act on what is confirmed already).
   */
  readonly review: { readonly accept: 'none' | 'all' | number } | null;
  /** A person's choice of target (--target TABLE.COLUMN), recorded as a review decision. */
  readonly target?: { readonly table: string; readonly column: string };
  /** Explore again knowing the confirmed target (round two). */
  readonly roundTwo: boolean;
  /** The feature set of the confirmed target, built with these options (null: not a goal by itself). */
  readonly features: FeatureOptions | null;
  readonly train: TrainGoal | null;
  /** A model in production: approved ahead of time (--yes), or waiting for a person. */
  readonly production: { readonly approved: boolean } | null;
  /** And served over HTTP (the caller serves it once the plan is done: fathom run --serve). */
  readonly serve?: boolean;
}

/** A model to train and register: the target (default: the confirmed one) and the search. */
export interface TrainGoal {
  readonly table?: string;
  readonly column?: string;
  readonly source?: string;
  readonly name?: string;
  /** Default: the target table's confirmed time index. */
  readonly timeColumn?: string;
  readonly groupColumn?: string;
  readonly task?: TaskKind;
  readonly metric?: MetricName;
  readonly seed: number;
  readonly folds: number;
  readonly timeBudgetMs: number | null;
  readonly budgetUnits: number | null;
  readonly families?: readonly Family[];
  /** At most this many trials (a quick single model: 1). */
  readonly maxTrials?: number;
  /** false: the target table alone, even when related tables give a feature matrix. */
  readonly features: boolean;
}
