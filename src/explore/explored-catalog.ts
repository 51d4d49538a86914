import type { Workspace } from '../workspace/open-workspace.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import type { Catalog, CatalogTable } from '../catalog/catalog.js';
import { RELATIONSHIPS, RELATIONSHIPS_KEY, type RelationshipsRecord } from './explore-kinds.js';
import { currentProfile } from './current-profile.js';
import type { TableProfile } from './profile-table.js';
import { rankTargets } from './targets.js';
import { findings } from './findings.js';

/** Remove a password from a URL-like location: the catalog never carries secrets. */
export const redactLocation = (location: string): string => location.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1@');

/**
 * The catalog as exploration alone proposes it, from the projected state: sources, the latest
 * profile of every current table, the relationships across them, and ranked targets. No
 * person's decision is in it yet: `reviewedCatalog` (metadata) lays those over it.
 */
export async function exploredCatalog(ws: Workspace): Promise<Catalog> {
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
  return catalogOfProfiles(
    sources.map((s) => ({ name: s.key, kind: s.value.kind, location: s.value.location })),
    profiles,
    rel?.value.relationships ?? [],
  );
}

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
