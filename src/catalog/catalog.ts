/**
 * The catalog document (`fathom catalog --json`), exactly the shape of shared/CATALOG.md,
 * plus added fields (CATALOG.md: "to add a field, add it"). Reports, review and features
 * read this shape; keep it stable.
 */

import type { RoundTwo } from './round-two-types.js';
import type { CutoffSpec, FeatureDef } from './feature-types.js';

// Each list is the one place its values are written: types, schemas (metadata files), the CLI's
// choices and the review prompt all read them, so a new kind is added here once.

/** What a column means beyond its SQL type, as exploration proposes it and review confirms it. */
export const SEMANTIC_TYPES = ['id', 'categorical', 'boolean', 'numeric', 'datetime', 'text'] as const;
export type SemanticType = (typeof SEMANTIC_TYPES)[number];

/** The kinds of personal data exploration detects and masks. */
export const PII_KINDS = [
  'email',
  'phone',
  'person_name',
  'address',
  'postal_code',
  'ip_address',
  'credit_card',
  'national_id',
  'date_of_birth',
] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/** What predicting a target is: two classes, several, or a number. */
export const TARGET_KINDS = ['binary', 'multiclass', 'regression'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export type FactStatus = 'suggested' | 'confirmed' | 'rejected';
export type AlertKind =
  | 'high_missing'
  | 'constant'
  | 'high_cardinality'
  | 'skewed'
  | 'outliers'
  | 'mixed_types'
  | 'duplicate_column'
  | 'unique'
  | 'imbalanced'
  | 'leakage_suspect';

export interface Alert {
  readonly kind: AlertKind;
  readonly detail: string;
}

/** One bin: [lo, hi) except the last, which is closed. Temporal bins carry ISO strings. */
export interface HistogramBin {
  readonly lo: number | string;
  readonly hi: number | string;
  readonly count: number;
}

export interface TopValue {
  /** Masked (e.g. "j***@e***.com") when the column is PII. */
  readonly value: string | number | boolean | null;
  readonly count: number;
}

export interface ColumnStats {
  readonly nulls: number;
  readonly distinct: number;
  readonly min: string | number | null;
  readonly max: string | number | null;
  readonly mean: number | null;
  readonly stddev: number | null;
  /** p01, p05, p25, p50, p75, p95, p99 (numeric and temporal columns). */
  readonly quantiles: Readonly<Record<string, number | string>> | null;
  readonly top: readonly TopValue[];
  readonly histogram: readonly HistogramBin[] | null;
  // Added fields
  readonly distinctApproximate?: boolean;
  /** String length stats (text columns). */
  readonly length?: { readonly min: number; readonly max: number; readonly mean: number } | null;
  /** Share of non-null values per pattern class: digits, alpha, alnum, email, date, datetime, uuid, phone, url, other. */
  readonly patterns?: Readonly<Record<string, number>> | null;
}

export interface Evidence {
  /** Human-readable reasons, e.g. "unique, not null, name ends in _id, referenced by 2 tables". */
  readonly evidence?: readonly string[];
}

export interface CatalogColumn extends Evidence {
  readonly name: string;
  readonly physicalType: string;
  readonly semanticType: SemanticType;
  readonly confidence: number;
  readonly pii: PiiKind | null;
  readonly status: FactStatus;
  readonly stats: ColumnStats;
  readonly alerts: readonly Alert[];
  // Added
  readonly piiConfidence?: number;
  readonly piiEvidence?: readonly string[];
  /** The engine's logical type (integer, float, decimal, boolean, string, date, timestamp, …). */
  readonly logicalType?: string;
  /** Review status of `pii`, which a person confirms apart from the semantic type. */
  readonly piiStatus?: FactStatus;
  /** A person asked to leave this column out of analysis and modelling. */
  readonly ignored?: boolean;
  /** What the latest exploration proposes where it differs from a confirmed value (kept beside it, never over it). */
  readonly proposed?: {
    readonly semanticType?: SemanticType;
    readonly pii?: PiiKind | null;
    readonly confidence: number;
  };
  /** Who confirmed this column's facts, when, and at which metadata version. */
  readonly reviewedBy?: { readonly by: string; readonly at: string; readonly version: number };
}

/** Where a person confirmed another value: what the latest exploration proposes instead (added field). */
export interface ProposedBeside {
  readonly proposed?: { readonly columns: readonly string[]; readonly confidence: number };
}

export interface KeyFact extends Evidence, ProposedBeside {
  readonly columns: readonly string[];
  readonly confidence: number;
  readonly status: FactStatus;
}

export interface TimeIndexFact extends Evidence, ProposedBeside {
  readonly column: string;
  readonly confidence: number;
  readonly status: FactStatus;
}

/** Pairwise association on a bounded sample (added field). */
export interface Association {
  readonly a: string;
  readonly b: string;
  readonly method: 'pearson' | 'spearman' | 'cramers_v' | 'correlation_ratio';
  /** pearson/spearman in [-1, 1]; the others in [0, 1]. */
  readonly value: number;
}

export interface TableAssociations {
  readonly sampleRows: number;
  readonly pairs: readonly Association[];
}

/** Which columns are null together, most frequent combinations first (added field). */
export interface MissingPattern {
  /** Names of the columns that are null in this pattern ([] = complete rows). */
  readonly nullColumns: readonly string[];
  readonly count: number;
}

export interface CatalogTable {
  readonly name: string;
  readonly source: string;
  readonly rows: number;
  readonly primaryKey: KeyFact | null;
  readonly timeIndex: TimeIndexFact | null;
  readonly columns: readonly CatalogColumn[];
  // Added
  readonly duplicateRows?: number;
  /** Other candidate keys, best first (the chosen one is primaryKey). */
  readonly keyCandidates?: readonly KeyFact[];
  readonly associations?: TableAssociations | null;
  readonly missingPatterns?: readonly MissingPattern[];
  /** How the sample-based statistics were sampled, in words ("all 3000 rows", "reservoir 100000 of 10M"). */
  readonly sampling?: string;
  readonly alerts?: readonly Alert[];
}

export interface Relationship extends Evidence {
  /** The child (many side). */
  readonly from: { readonly table: string; readonly columns: readonly string[] };
  /** The parent (its key). */
  readonly to: { readonly table: string; readonly columns: readonly string[] };
  readonly confidence: number;
  /** Share of child values found in the parent. */
  readonly coverage: number;
  readonly status: FactStatus;
  // Added: source names when tables of two sources share a name.
  readonly fromSource?: string;
  readonly toSource?: string;
  /** Distinct child values with no parent, and child rows with them. */
  readonly orphanRows?: number;
}

export interface TargetFact extends Evidence {
  readonly table: string;
  readonly column: string;
  readonly kind: TargetKind;
  readonly confidence: number;
  readonly status: FactStatus;
}

export interface CatalogSource {
  readonly name: string;
  readonly kind: 'files' | 'sqlite' | 'postgres' | 'duckdb';
  readonly location: string;
}

export interface Catalog {
  readonly version: 1;
  readonly sources: readonly CatalogSource[];
  readonly tables: readonly CatalogTable[];
  readonly relationships: readonly Relationship[];
  readonly targets: readonly TargetFact[];
  // Added
  /** Plain-language findings, e.g. "orders.customer_id refers to customers.customer_id; 0.4% of orders have no matching customer". */
  readonly findings?: readonly string[];
  readonly generatedAt?: string;
  /** The metadata version (number of recorded review batches) this catalog reflects. */
  readonly metadataVersion?: number;
  /** Exploration round two, once a target is confirmed (src/explore/round-two). */
  readonly roundTwo?: RoundTwo;
  /** The feature sets `fathom features` built, one per target, ordered by target (absent before any). */
  readonly features?: readonly CatalogFeatureSet[];
}

/**
 * One synthesized feature with its lineage and what selection did with it (added field).
 * JSON: { "name": "MEAN(orders.total_amount WHERE orders.ordered_at < cutoff)",
 *         "kind": "numeric|categorical|boolean|datetime", "primitive": "MEAN", "depth": 1,
 *         "tables": ["customers", "orders"], "sql": "WITH r0 AS (…) SELECT …",
 *         "leakage": "…" (only when it reads a leakage suspect), "status": "kept|dropped",
 *         "reason": "near-duplicate of … (r = 0.9970)" (only when dropped),
 *         "gain": 0.12 (only when the ranking probe saw it: share of its total split gain) }
 * `name` is also the feature's column name in the matrix; `sql` computes it for every target
 * row on its own (the target key and the feature), as the full matrix query does.
 */
export interface CatalogFeature extends FeatureDef {
  readonly status: 'kept' | 'dropped';
  readonly reason?: string;
  /** Share of the ranking probe's total split gain, in [0, 1]. */
  readonly gain?: number;
}

/**
 * A feature set as the catalog shows it (added field `features`). JSON:
 * { "target": { "source": "shop", "table": "customers", "column": "churned", "kind": "binary|multiclass|regression" },
 *   "cutoff": { "kind": "time-index|column", "column": "…" } | { "kind": "fixed", "at": "ISO instant" }
 *             | { "kind": "table", "table": "…", "column": "…", "label": true } | { "kind": "none" },
 *   "depth": 2, "windowDays": 90 (or null), "warnings": ["…"], "metadataVersion": 1,
 *   "matrix": { "rows": 3000, "columns": 94, "bytes": 736159, "object": "<sha-256 in the object store>" },
 *   "features": [CatalogFeature…] }
 * `metadataVersion` is the review version the set was built at: below the catalog's own, the
 * metadata changed since and `fathom features` would build a new set.
 */
export interface CatalogFeatureSet {
  readonly target: {
    readonly source: string;
    readonly table: string;
    readonly column: string;
    readonly kind: TargetKind;
  };
  readonly cutoff: CutoffSpec;
  readonly depth: number;
  readonly windowDays: number | null;
  readonly warnings: readonly string[];
  readonly metadataVersion: number;
  /** The Parquet matrix: rows, columns (target key, target and features included), bytes, object hash. */
  readonly matrix: { readonly rows: number; readonly columns: number; readonly bytes: number; readonly object: string };
  readonly features: readonly CatalogFeature[];
}
