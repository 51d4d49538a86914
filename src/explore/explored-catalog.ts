import type { Workspace } from '../workspace/open-workspace.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import type { Catalog } from '../catalog/catalog.js';
import { catalogOfProfiles } from './catalog-of-profiles.js';
import { RELATIONSHIPS, RELATIONSHIPS_KEY, type RelationshipsRecord } from './explore-kinds.js';
import { currentProfile } from './current-profile.js';
import type { TableProfile } from './profile-table.js';

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
