/**
 * The in-memory training table every learner reads: columnar typed arrays, no row objects.
 * Shared contract between gbdt/, linear/, evaluation and the AutoML search.
 */

export interface NumericFeature {
  readonly name: string;
  readonly kind: 'numeric';
  /** NaN marks a missing value. Datetimes and booleans arrive as numbers (epoch ms, 0/1). */
  readonly values: Float64Array;
}

export interface CategoricalFeature {
  readonly name: string;
  readonly kind: 'categorical';
  /** Index into `categories`; -1 marks a missing value. */
  readonly codes: Int32Array;
  readonly categories: readonly string[];
}

export type Feature = NumericFeature | CategoricalFeature;

export type TaskKind = 'binary' | 'multiclass' | 'regression';

export interface Task {
  readonly kind: TaskKind;
  /** Class labels for binary (index 1 is the positive class) and multiclass targets. */
  readonly classes?: readonly string[];
}

export interface Dataset {
  readonly rows: number;
  readonly features: readonly Feature[];
}

/**
 * A labelled dataset. `target[i]` is the class index (binary: 0/1; multiclass: 0..k-1) or
 * the regression value. Optional `groups` feed group k-fold, `time` a time split (epoch ms).
 */
export interface LabelledDataset extends Dataset {
  readonly task: Task;
  readonly target: Float64Array;
  readonly targetName: string;
  readonly groups?: Int32Array;
  readonly time?: Float64Array;
}

/**
 * Predictions, row-major. binary: one probability of the positive class per row;
 * multiclass: `rows * classes` probabilities; regression: one value per row.
 */
export interface Predictions {
  readonly task: Task;
  readonly rows: number;
  readonly values: Float64Array;
}

/** A trained model of any family. Serialisable to our own JSON format via `toJSON`. */
export interface Model {
  readonly family: 'gbdt' | 'linear' | 'ensemble';
  readonly task: Task;
  /** Feature names in the order `predict` expects (matched by name against the dataset). */
  readonly featureNames: readonly string[];
  predict(data: Dataset): Predictions;
  toJSON(): unknown;
}
