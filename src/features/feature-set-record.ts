import type { ColumnRef } from '../catalog/reviewed-facts.js';
import type { TaskKind } from '../learn/dataset.js';
import type { CutoffSpec, FeatureDef, FeatureSelection } from '../catalog/feature-types.js';
import type { MatrixColumn } from './matrix-column.js';
import type { GraphEdge, GraphTable } from './entity-graph.js';

/** Projected collection of feature sets: key = `source.table.column` of the target. */
export const FEATURE_SETS = 'feature_sets';

/** Everything about one feature set, as `fathom features --json` prints it and training reads it. */
export interface FeatureSetRecord {
  readonly target: ColumnRef & { readonly kind: TaskKind };
  readonly key: readonly string[];
  readonly timeColumn: string | null;
  readonly depth: number;
  readonly cutoff: CutoffSpec;
  /** Whether the person chose the cutoff (a flag), or Fathom did (time index, snapshot, none). */
  readonly cutoffAsked: boolean;
  readonly windowDays: number | null;
  readonly warnings: readonly string[];
  /** Rows × columns, and bytes at 8 per cell, estimated before computing. */
  readonly estimate: { readonly rows: number; readonly columns: number; readonly bytes: number };
  readonly matrix: {
    readonly fingerprint: string;
    readonly object: string;
    readonly bytes: number;
    readonly rows: number;
    readonly columns: readonly MatrixColumn[];
  };
  readonly features: readonly FeatureDef[];
  readonly selection: FeatureSelection;
  /** The relationship graph features were synthesized over: scoring plans are compiled from it. */
  readonly graph: {
    readonly source: string;
    readonly tables: readonly GraphTable[];
    readonly edges: readonly GraphEdge[];
  };
  readonly metadataVersion: number;
  /** Selection's options. */
  readonly maxFeatures: number;
  readonly seed: number;
}

export function featureSetKey(target: ColumnRef): string {
  return `${target.source}.${target.table}.${target.column}`;
}

/** The features a feature set's selection kept, in a stable order: part of a training dataset's identity. */
export const keptFeatures = (rec: Pick<FeatureSetRecord, 'selection'>): string[] => [...rec.selection.kept].sort();
