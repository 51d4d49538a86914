import { join } from 'node:path';
import type { ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import { workspaceOf } from '../explore/explore-context.js';
import type { FeatureSelection } from '../catalog/feature-types.js';
import { FEATURE_SETS, featureSetKey, type FeatureSetRecord } from './feature-set-record.js';
import { withMatrix } from './with-matrix.js';
import { selectFeatures } from './select-features.js';

export type FeatureSetParams = Omit<FeatureSetRecord, 'selection'>;

/**
 * Select features from a materialised matrix, and record the feature set. The matrix action is
 * its input, so a new matrix means a new selection; the record is a projection, rebuilt on reuse.
 */
export const featureSetKind: ActionKind<FeatureSetParams, FeatureSelection> = registerActionKind({
  kind: 'features.select',
  version: '1',
  subject: (p) => featureSetKey(p.target),
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
  project: (selection, params) => [
    {
      collection: FEATURE_SETS,
      key: featureSetKey(params.target),
      value: { ...params, selection } satisfies FeatureSetRecord,
    },
  ],
});
