import type { Workspace } from '../workspace/open-workspace.js';
import { SOURCES, TABLES, type SourceRecord } from './source-actions.js';
import type { SourceTable } from './source.js';
import { tableSummary, type TableSummary } from './table-summary.js';

export interface SourceSummary {
  readonly name: string;
  readonly kind: SourceRecord['kind'];
  readonly location: string;
  /** The vault entry holding its password, if it has one (the name, never the secret). */
  readonly credential: string | null;
  readonly tables: readonly TableSummary[];
}

/** Every connected source with its tables, as the ledger's projection records them. */
export async function listSources(ws: Workspace): Promise<SourceSummary[]> {
  const ledger = await ws.ledger();
  const sources = await ledger.listState<SourceRecord>(SOURCES);
  const tables = await ledger.listState<SourceTable>(TABLES);
  return sources.map((s) => ({
    name: s.key,
    kind: s.value.kind,
    location: s.value.location,
    credential: s.value.credential,
    tables: tables.filter((t) => t.value.source === s.key).map((t) => tableSummary(t.value)),
  }));
}
