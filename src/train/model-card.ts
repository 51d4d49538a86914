import type { Task } from '../learn/dataset.js';
import type { CutoffSpec } from '../catalog/feature-types.js';
import type { ScoringPlan } from '../features/scoring-plan.js';
import type { CalibrationBin } from '../learn/eval/calibration-curve.js';
import type { MetricName } from '../learn/eval/metrics.js';
import type { SplitKind } from '../learn/eval/splits.js';
import type { Family } from '../learn/search/learners.js';
import type { Params } from '../learn/search/param-space.js';
import type { DroppedColumn, Treatment } from '../features/feature-plan.js';
import type { FeatureImportance } from './permutation-importance.js';

/** What a person (and the registry) needs to know about a trained model. */
export interface ModelCard {
  readonly name: string;
  readonly createdAt: string;
  /** Object hash of the saved model (`fathom.model` JSON). */
  readonly model: string;
  /** Object hash of the training profile (deploy/training-profile.ts), for drift monitoring; absent on older cards. */
  readonly profile?: string;
  readonly data: {
    readonly source: string;
    readonly table: string;
    /** The table's data fingerprint at training time. */
    readonly fingerprint: string;
    readonly rows: number;
    /** Rows left out: null target (or null time index). */
    readonly rowsDropped: number;
    readonly metadataVersion: number | null;
  };
  readonly target: { readonly column: string; readonly task: Task['kind']; readonly classes: readonly string[] | null };
  readonly features: {
    readonly used: ReadonlyArray<{ column: string; treatment: Treatment; levels?: number }>;
    readonly dropped: readonly DroppedColumn[];
  };
  readonly split: {
    readonly kind: SplitKind;
    readonly folds: number;
    readonly seed: number;
    readonly timeColumn: string | null;
    readonly groupColumn: string | null;
  };
  readonly metric: MetricName;
  /** Cross-validated metrics of the chosen model: mean and standard deviation over folds. */
  readonly metrics: Readonly<Record<string, { mean: number; std: number }>>;
  readonly ensemble: ReadonlyArray<{
    trial: number;
    family: Family;
    params: Params;
    weight: number;
    fit: 'refit' | 'folds';
  }>;
  readonly permutationImportance: { readonly complete: boolean; readonly features: readonly FeatureImportance[] };
  /** GBDT split-gain importance (shares summing to 1), weighted over GBDT members; null without one. */
  readonly gainImportance: ReadonlyArray<{ feature: string; value: number }> | null;
  /** Mean |SHAP| per feature (TreeSHAP / linear SHAP) over a sample of rows; null when out of time. */
  readonly shapImportance: {
    readonly rows: number;
    readonly features: ReadonlyArray<{ feature: string; value: number }>;
  } | null;
  readonly calibration: readonly CalibrationBin[] | null;
  readonly search: {
    readonly trials: number;
    readonly completed: number;
    readonly stopped: number;
    readonly failed: number;
    readonly unitsUsed: number;
  };
  /**
   * The budget, and under a time budget the wall time from the start of training to this card
   * (null under a unit budget: which machine ran the work, and how fast, does not matter then).
   */
  readonly time: {
    readonly budgetMs: number | null;
    readonly budgetUnits: number | null;
    readonly usedMs: number | null;
  };
  /** Things a person should look at, e.g. a near-perfect score that suggests target leakage. */
  readonly warnings: readonly string[];
  /** For a single linear model: its largest coefficients in original units. */
  readonly description: string | null;
  /** When trained on a feature matrix (related tables): which one, and how it was cut off in time. */
  readonly featureSet?: {
    readonly matrix: string;
    readonly depth: number;
    readonly cutoff: CutoffSpec;
    readonly windowDays: number | null;
    readonly synthesized: number;
    readonly selected: number;
  };
  /** How to compute this model's features for new entities (the same feature SQL). */
  readonly scoring?: ScoringPlan;
}
