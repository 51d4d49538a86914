import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import type { ObjectStore } from '../ledger/object-store.js';
import type { Engine } from '../engine/engine.js';
import { openEngine } from '../engine/open-engine.js';
import type { ColumnRef } from '../metadata/reviewed-facts.js';
import type { TaskKind } from '../learn/dataset.js';
import { workspaceOf } from '../explore/explore-context.js';
import type { CutoffSpec, FeatureDef, FeatureSelection } from './feature-types.js';
import type { MatrixColumn } from './write-parquet.js';
import type { GraphEdge, GraphTable } from './entity-graph.js';
import { selectFeatures } from './select-features.js';

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
  readonly matrix: { readonly fingerprint: string; readonly object: string; readonly bytes: number; readonly rows: number; readonly columns: readonly MatrixColumn[] };
  readonly features: readonly FeatureDef[];
  readonly selection: FeatureSelection;
  /** The relationship graph features were synthesized over: scoring plans are compiled from it. */
  readonly graph: { readonly source: string; readonly tables: readonly GraphTable[]; readonly edges: readonly GraphEdge[] };
  readonly metadataVersion: number;
  /** Selection's options. */
  readonly maxFeatures: number;
  readonly seed: number;
}

export type FeatureSetParams = Omit<FeatureSetRecord, 'selection'>;

/**
 * Select features from a materialised matrix, and record the feature set. The matrix action is
 * its input, so a new matrix means a new selection; the record is a projection, rebuilt on reuse.
 */
export const featureSetKind: ActionKind<FeatureSetParams, FeatureSelection> = registerActionKind({
  kind: 'features.select',
  version: '1',
  async run(ctx, params) {
    const ws = workspaceOf(ctx);
    return withMatrix(ctx.objects, params.matrix.object, join(ws.paths.cache, 'features-tmp'), (engine, sql) =>
      selectFeatures({
        engine,
        matrixSql: sql,
        rows: params.matrix.rows,
        features: params.features,
        target: params.target.column,
        task: params.target.kind,
        maxFeatures: params.maxFeatures,
        seed: params.seed,
      }),
    );
  },
  project: (selection, params) => [{ collection: FEATURE_SETS, key: featureSetKey(params.target), value: { ...params, selection } satisfies FeatureSetRecord }],
});

export function featureSetKey(target: ColumnRef): string {
  return `${target.source}.${target.table}.${target.column}`;
}

/**
 * Open a feature matrix from the object store in a local DuckDB: `sql` is a relation over it.
 * A file-backed store's object is read in place; any other store's is copied to `tempDir`.
 */
export async function withMatrix<T>(objects: ObjectStore, hash: string, tempDir: string, fn: (engine: Engine, sql: string) => Promise<T>): Promise<T> {
  let file: string;
  if ('path' in objects && typeof objects.path === 'function') {
    file = (objects.path as (h: string) => string)(hash);
  } else {
    await mkdir(tempDir, { recursive: true });
    file = join(tempDir, `${hash}.parquet`);
    await writeFile(file, await objects.get(hash));
  }
  const engine = await openEngine({ kind: 'duckdb' });
  try {
    return await fn(engine, `read_parquet(${engine.dialect.quoteString(file)})`);
  } finally {
    await engine.close();
  }
}
