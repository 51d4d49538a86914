import type { Alert, HistogramBin, TargetFact } from './catalog.js';

/**
 * What exploration round two found, once a person confirmed the target (the `roundTwo` field
 * of the catalog). Every statistic says what it was computed on: the whole table through SQL,
 * or a seeded sample whose size is given.
 */
export interface RoundTwo {
  /** The metadata version the facts were read at. */
  readonly metadataVersion: number;
  readonly target: {
    readonly source: string;
    readonly table: string;
    readonly column: string;
    readonly kind: TargetFact['kind'];
  };
  readonly targetSummary: TargetSummary;
  readonly associations: FeatureAssociations;
  readonly leakage: readonly LeakageSuspect[];
  readonly relationships: readonly RelationshipStats[];
  readonly drift: readonly TableDrift[];
  readonly proposals: readonly DerivedProposal[];
  readonly findings: readonly string[];
  /** The leakage suspects as column alerts, for the catalog to attach. */
  readonly alerts: readonly LocatedAlert[];
}

export interface LocatedAlert {
  readonly source: string;
  readonly table: string;
  readonly column: string;
  readonly alert: Alert;
}

export interface ClassShare {
  readonly value: string;
  readonly count: number;
  readonly share: number;
}

export interface TargetSummary {
  readonly kind: TargetFact['kind'];
  /** Rows of the target table, and rows whose target is null (left out of every statistic). */
  readonly rows: number;
  readonly missing: number;
  /** Binary and multiclass: every class, commonest first (exact, by SQL). */
  readonly classes: readonly ClassShare[] | null;
  /** Binary: the class treated as positive (a true-like value, else the minority). */
  readonly positive: string | null;
  /** Regression: the distribution, from the profile's sample. */
  readonly distribution: {
    readonly mean: number | null;
    readonly stddev: number | null;
    readonly quantiles: Readonly<Record<string, number | string>> | null;
    readonly histogram: readonly HistogramBin[] | null;
  } | null;
  readonly notes: readonly string[];
}

/** How one feature relates to the target, on the sample. */
export interface FeatureAssociation {
  /** `customers.plan`, or a child aggregate such as `mean(orders.total_amount)`. */
  readonly feature: string;
  readonly table: string;
  /** The column for a column of the target table; null for a child aggregate. */
  readonly column: string | null;
  readonly kind: 'numeric' | 'categorical' | 'datetime' | 'child_aggregate';
  /** Mutual information with the target, in bits (numbers binned, missing its own level). */
  readonly mutualInformation: number;
  /** MI divided by the target's entropy: 1 means the feature determines the target. */
  readonly normalizedMi: number;
  /**
   * Binary targets: AUC of a single-feature model; about 0.5 is no signal. Numbers: rank AUC
   * over non-null rows, oriented (≥ 0.5, see `direction`); categories: target rate per level
   * learned out of fold (an uninformative one can land just under 0.5). Null otherwise.
   */
  readonly auc: number | null;
  /** For a numeric AUC: whether higher values go with the positive class. */
  readonly direction: 'higher' | 'lower' | null;
  readonly missingShare: number;
}

export interface FeatureAssociations {
  readonly sampleRows: number;
  readonly sampling: string;
  /** Strongest first (AUC for binary targets, normalised MI otherwise). */
  readonly ranked: readonly FeatureAssociation[];
}

export interface LeakageSuspect {
  readonly table: string;
  readonly column: string;
  readonly reason: 'predicts_target' | 'recorded_after_target_time';
  /** In words: what was measured and why it looks like a leak. */
  readonly evidence: readonly string[];
  readonly confidence: number;
}

export interface FanOut {
  /** Parent keys, and how many of them have no child row. p50 and p95 are interpolated quantiles. */
  readonly parents: number;
  readonly childless: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface RelationshipStats {
  readonly from: { readonly source: string; readonly table: string; readonly columns: readonly string[] };
  readonly to: { readonly source: string; readonly table: string; readonly columns: readonly string[] };
  /** Null when the parent's key set was too big to hold (see note). */
  readonly fanOut: FanOut | null;
  /** Child rows (with a non-null key) whose key has no parent, and their share. */
  readonly childRows: number;
  readonly orphanRows: number;
  readonly orphanRate: number;
  /** Child aggregates per target row, strongest first (only for children of the target table). */
  readonly aggregates: readonly FeatureAssociation[];
  readonly note: string | null;
}

export interface DriftWindow {
  readonly index: number;
  readonly from: string;
  readonly to: string;
  readonly rows: number;
  /** Binary: share of the positive class; regression: mean; null otherwise or off the target table. */
  readonly targetRate: number | null;
}

export interface ColumnDrift {
  readonly column: string;
  readonly kind: 'numeric' | 'categorical';
  /** PSI of each window against the first (the first is 0). */
  readonly psi: readonly number[];
  readonly maxPsi: number;
  readonly flagged: boolean;
}

export interface TableDrift {
  readonly source: string;
  readonly table: string;
  readonly timeIndex: string;
  readonly windows: readonly DriftWindow[];
  readonly columns: readonly ColumnDrift[];
}

export interface DerivedProposal {
  readonly name: string;
  readonly description: string;
  /** SQL-ish definition; `:cutoff` is the prediction time of each target row. */
  readonly definition: string;
  readonly tables: readonly string[];
  /** Association of the closest computed aggregate, when round two computed one. */
  readonly evidence: string | null;
}
