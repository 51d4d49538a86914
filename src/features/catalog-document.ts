import type { Workspace } from '../workspace/open-workspace.js';
import type { Catalog } from '../catalog/catalog.js';
import { reviewedCatalog } from '../metadata/reviewed-catalog.js';
import { FEATURE_SETS, type FeatureSetRecord } from './feature-set-record.js';
import { catalogFeatureSets } from './catalog-feature-sets.js';

/**
 * The whole catalog document (shared/CATALOG.md), as `fathom catalog --json` prints it: the
 * reviewed catalog, plus the feature sets built so far, when there are any.
 */
export async function buildCatalog(ws: Workspace): Promise<Catalog> {
  const catalog = await reviewedCatalog(ws);
  const featureSets = await (await ws.ledger()).listState<FeatureSetRecord>(FEATURE_SETS);
  return featureSets.length === 0
    ? catalog
    : { ...catalog, features: catalogFeatureSets(featureSets.map((s) => s.value)) };
}
