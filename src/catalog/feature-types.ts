/**
 * The shapes feature synthesis shares: the request, each feature with its lineage, and the
 * feature set recorded in the ledger. The CLI, training, the catalog and the report read these.
 */

/** What a feature's values are, which decides how the learner treats it. */
export type FeatureKind = 'numeric' | 'categorical' | 'boolean' | 'datetime';

/** Where each target row's cutoff time comes from. */
export type CutoffSpec =
  /** The target table's time index (the default when it has one). */
  | { readonly kind: 'time-index'; readonly column: string }
  /** Another date or timestamp column of the target table. */
  | { readonly kind: 'column'; readonly column: string }
  /** One instant for every row, e.g. the day the labels were observed (ISO text). */
  | { readonly kind: 'fixed'; readonly at: string }
  /**
   * A table of the same source giving the rows themselves: the target's key, a cutoff each (an
   * entity may come at several cutoffs) and, when it has a column named like the target, the
   * target's value at that cutoff.
   */
  | { readonly kind: 'table'; readonly table: string; readonly column: string; readonly label: boolean }
  /** No time information: every child row is used (said as a warning). */
  | { readonly kind: 'none' };

export interface FeatureRequest {
  /** Stacking depth: 1 aggregates direct children; 2 aggregates their aggregates too. */
  readonly depth: number;
  readonly cutoff: CutoffSpec;
  /** Only child rows at most this many days before the cutoff (a training window). */
  readonly windowDays: number | null;
  /** How many features selection keeps (the best by GBDT gain). */
  readonly maxFeatures: number;
}

/**
 * One synthesized feature. `name` is readable and is also its column name in the matrix;
 * `sql` is a standalone query defining it for one target row (its lineage).
 */
export interface FeatureDef {
  readonly name: string;
  readonly kind: FeatureKind;
  /** The outermost primitive: COUNT, MEAN, DAY_OF_WEEK… ('IDENTITY' for a raw column). */
  readonly primitive: string;
  readonly depth: number;
  /** Tables it reads, the target table first. */
  readonly tables: readonly string[];
  readonly sql: string;
  /** Why it must not be used, when exploration flagged a column it reads. */
  readonly leakage?: string;
}

export interface DroppedFeature {
  readonly name: string;
  readonly reason: string;
}

export interface RankedFeature {
  readonly name: string;
  /** Share of the probe model's total split gain, in [0, 1]. */
  readonly gain: number;
}

export interface FeatureSelection {
  readonly kept: readonly string[];
  readonly dropped: readonly DroppedFeature[];
  readonly ranking: readonly RankedFeature[];
  /** Rows the ranking probe was fitted on. */
  readonly sampleRows: number;
}
