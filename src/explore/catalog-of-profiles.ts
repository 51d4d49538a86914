import type { Catalog, CatalogTable } from '../catalog/catalog.js';
import type { RelationshipsRecord } from './explore-kinds.js';
import type { TableProfile } from './profile-table.js';
import { rankTargets } from './targets.js';
import { findings } from './findings.js';

/** Remove a password from a URL-like location: the catalog never carries secrets. */
export const redactLocation = (location: string): string => location.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1@');

/**
 * The explored catalog from its parts: pure, so a planner can build it from state it already
 * holds. Relationships between tables that are no longer profiled are left out.
 */
export function catalogOfProfiles(
  sources: ReadonlyArray<{ name: string; kind: Catalog['sources'][number]['kind']; location: string }>,
  profiles: readonly TableProfile[],
  allRelationships: RelationshipsRecord['relationships'],
): Catalog {
  const present = new Set(profiles.map((p) => `${p.source}\u0000${p.table}`));
  const relationships = allRelationships.filter(
    (r) => present.has(`${r.fromSource}\u0000${r.from.table}`) && present.has(`${r.toSource}\u0000${r.to.table}`),
  );
  const targets = rankTargets(profiles, relationships);
  return {
    version: 1,
    sources: sources.map((s) => ({ name: s.name, kind: s.kind, location: redactLocation(s.location) })),
    tables: profiles.map(catalogTable),
    relationships,
    targets,
    findings: findings(profiles, relationships, targets),
    generatedAt: new Date().toISOString(),
  };
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
