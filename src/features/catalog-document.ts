import type { Workspace } from '../workspace/open-workspace.js';
import type { Catalog } from '../catalog/catalog.js';
import { reviewedCatalog } from '../metadata/reviewed-catalog.js';
import { FEATURE_SETS, type FeatureSetRecord } from './feature-set-record.js';
import { catalogFeatureSets } from './catalog-feature-sets.js';
import { FathomError } from '../util/fathom-error.js';

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

/**
 * The catalog document of an explored project (`fathom catalog`), whole or narrowed to one
 * table; an unexplored project, or a table exploration never saw, is an error naming the fix.
 */
export async function catalogDocument(ws: Workspace, options: { readonly table?: string } = {}): Promise<Catalog> {
  const catalog = await buildCatalog(ws);
  if (catalog.tables.length === 0) {
    throw new FathomError('usage', 'Nothing explored yet: the catalog is empty', { hint: 'Run fathom explore first.' });
  }
  const { table } = options;
  if (table === undefined) return catalog;
  if (!catalog.tables.some((t) => t.name === table)) {
    throw new FathomError('bad_input', `No explored table named ${table}`, {
      hint: `Tables: ${catalog.tables.map((t) => t.name).join(', ')}`,
    });
  }
  return { ...catalog, tables: catalog.tables.filter((t) => t.name === table) };
}
