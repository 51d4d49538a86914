import type { Workspace } from '../workspace/open-workspace.js';
import type { SourceTable } from '../sources/source.js';
import { currentProfile } from '../explore/current-profile.js';
import { readTags } from './metadata-state.js';
import { confirmedTargetOf, reviewOfTable, type ConfirmedTarget, type TableReview } from './review-of-table.js';

export type { ConfirmedTarget, TableReview } from './review-of-table.js';

/** What review decided about one table, over its current profile. */
export async function tableReview(ws: Workspace, source: string, table: SourceTable): Promise<TableReview> {
  const profile = await currentProfile(ws, source, table);
  return reviewOfTable(profile, await readTags(await ws.ledger()), source, table.name);
}

/** The one confirmed target, if review confirmed one. */
export async function confirmedTarget(ws: Workspace): Promise<ConfirmedTarget | null> {
  return confirmedTargetOf(await readTags(await ws.ledger()));
}
