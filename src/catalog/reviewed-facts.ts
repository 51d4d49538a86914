import type { Relationship, TargetFact } from './catalog.js';

/** A column named across sources. */
export interface ColumnRef {
  readonly source: string;
  readonly table: string;
  readonly column: string;
}

/**
 * What exploration round two and feature synthesis may rely on: the metadata after review.
 * Confirmed facts win; suggested ones stand until rejected; rejected ones are left out.
 * `metadataVersion` is the version these facts were read at, recorded by every action that
 * used them.
 */
export interface ReviewedFacts {
  readonly metadataVersion: number;
  /** The one confirmed target, or null: round two needs a confirmed target. */
  readonly target: (ColumnRef & { readonly kind: TargetFact['kind'] }) | null;
  /** One time index per table that has one (confirmed, or suggested and not rejected). */
  readonly timeIndexes: readonly ColumnRef[];
  /** Primary keys per table (confirmed, or suggested and not rejected). */
  readonly primaryKeys: ReadonlyArray<{
    readonly source: string;
    readonly table: string;
    readonly columns: readonly string[];
  }>;
  /** Relationships confirmed, or suggested and not rejected; `status` says which. */
  readonly relationships: readonly Relationship[];
  /** Columns the person asked to leave out of analysis and modelling. */
  readonly ignored: readonly ColumnRef[];
}
