import type { Workspace } from '../workspace/open-workspace.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import type { Catalog, CatalogTable } from './catalog.js';
import { RELATIONSHIPS, RELATIONSHIPS_KEY, type RelationshipsRecord } from './explore-kinds.js';
import { currentProfile } from './current-profile.js';
import type { TableProfile } from './profile-table.js';
import { rankTargets } from './targets.js';
import { findings } from './findings.js';
import { applyReview } from '../metadata/apply-review.js';
import { withRoundTwo } from './round-two/attach-round-two.js';
import { INSIGHTS, INSIGHTS_KEY } from './round-two/insight-kind.js';
import type { RoundTwo } from './round-two/round-two-types.js';
import { metadataVersion, readTags } from '../metadata/metadata-state.js';
import { FEATURE_SETS, type FeatureSetRecord } from '../features/feature-set-record.js';
import { catalogFeatureSets } from './catalog-feature-sets.js';

/** Remove a password from a URL-like location: the catalog never carries secrets. */
export const redactLocation = (location: string): string => location.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1@');

/**
 * The catalog document (shared/CATALOG.md) from the projected state: sources, the latest
 * profile of every current table, the relationships across them, and ranked targets, with
 * the person's review decisions laid over them (statuses, confirmed values).
 */
export async function buildCatalog(ws: Workspace): Promise<Catalog> {
  const ledger = await ws.ledger();
  const sources = await ledger.listState<SourceRecord>(SOURCES);
  const profiles: TableProfile[] = [];
  for (const s of sources) {
    for (const name of s.value.tables) {
      const table = await ledger.getState<SourceTable>(TABLES, tableKey(s.key, name));
      const profile = table && (await currentProfile(ws, s.key, table.value));
      if (profile) profiles.push(profile);
    }
  }
  const rel = await ledger.getState<RelationshipsRecord>(RELATIONSHIPS, RELATIONSHIPS_KEY);
  const present = new Set(profiles.map((p) => `${p.source}\u0000${p.table}`));
  const relationships = (rel?.value.relationships ?? []).filter(
    (r) => present.has(`${r.fromSource}\u0000${r.from.table}`) && present.has(`${r.toSource}\u0000${r.to.table}`),
  );
  const targets = rankTargets(profiles, relationships);
  const explored: Catalog = {
    version: 1,
    sources: sources.map((s) => ({ name: s.key, kind: s.value.kind, location: redactLocation(s.value.location) })),
    tables: profiles.map(catalogTable),
    relationships,
    targets,
    findings: findings(profiles, relationships, targets),
    generatedAt: new Date().toISOString(),
  };
  const version = await metadataVersion(ledger);
  const reviewed = applyReview(explored, await readTags(ledger), version);
  const catalog = withRoundTwo(reviewed, (await ledger.getState<RoundTwo>(INSIGHTS, INSIGHTS_KEY))?.value, version);
  const featureSets = await ledger.listState<FeatureSetRecord>(FEATURE_SETS);
  return featureSets.length === 0
    ? catalog
    : { ...catalog, features: catalogFeatureSets(featureSets.map((s) => s.value)) };
}

function catalogTable(p: TableProfile): CatalogTable {
  return {
    name: p.table,
    source: p.source,
    rows: p.rows,
    primaryKey: p.primaryKey,
    timeIndex: p.timeIndex,
    columns: p.columns.map(({ unique: _u, ...c }) => c),
    duplicateRows: p.duplicateRows,
    keyCandidates: p.keyCandidates.slice(1),
    associations: p.associations,
    missingPatterns: p.missingPatterns,
    sampling: p.sampling,
    alerts: p.alerts,
  };
}
