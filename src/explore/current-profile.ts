import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { tableKey } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import { PROFILES, type ProfileRecord } from './explore-kinds.js';
import type { TableProfile } from './profile-table.js';

/** The recorded profile of a table, if it describes the table's current data. */
export async function currentProfileRecord(
  ledger: LedgerStore,
  source: string,
  table: SourceTable,
): Promise<ProfileRecord | undefined> {
  const row = await ledger.getState<ProfileRecord>(PROFILES, tableKey(source, table.name));
  return row && row.value.fingerprint === table.fingerprint && row.value.output ? row.value : undefined;
}

/** The profile itself (from the object store), if it describes the table's current data. */
export async function currentProfile(
  ws: Workspace,
  source: string,
  table: SourceTable,
): Promise<TableProfile | undefined> {
  const record = await currentProfileRecord(await ws.ledger(), source, table);
  return record && (await ws.objects()).getJson<TableProfile>(record.output);
}
