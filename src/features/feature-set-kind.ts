import { join } from 'node:path';
import type { ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import { workspaceOf } from '../explore/explore-context.js';
import type { FeatureSelection } from '../catalog/feature-types.js';
import { FEATURE_SETS, featureSetKey, type FeatureSetRecord } from './feature-set-record.js';
import { withMatrix } from './with-matrix.js';
import { selectFeatures } from './select-features.js';

/** The feature set as selection is told it: the record without the selection, nor the matrix's size. */
export type FeatureSetParams = Omit<FeatureSetRecord, 'selection' | 'matrix'> & {
  readonly matrix: Omit<FeatureSetRecord['matrix'], 'bytes'>;
};

/** What selection made of the matrix, and the matrix's size in the object store. */
export interface SelectionOutput {
  readonly selection: FeatureSelection;
  readonly bytes: number;
}

/**
 * Select features from a materialised matrix, and record the feature set. The matrix action is
 * its input, so a new matrix means a new selection; the record is a projection, rebuilt on reuse.
 */
export const featureSetKind: ActionKind<FeatureSetParams, SelectionOutput> = registerActionKind({
  kind: 'features.select',
  // 2: the matrix's size is measured here, not planned.
  version: '2',
  subject: (p) => featureSetKey(p.target),
  async run(ctx, params) {
    const ws = workspaceOf(ctx);
    const bytes = (await ctx.objects.get(params.matrix.object)).byteLength;
    const selection = await withMatrix(
      ctx.objects,
      params.matrix.object,
      join(ws.paths.cache, 'features-tmp'),
      (engine, sql) =>
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
    return { selection, bytes };
  },
  project: (out, params) => [
    {
      collection: FEATURE_SETS,
      key: featureSetKey(params.target),
      value: {
        ...params,
        matrix: { ...params.matrix, bytes: out.bytes },
        selection: out.selection,
      } satisfies FeatureSetRecord,
    },
  ],
});
