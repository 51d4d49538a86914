import type { ActionKind } from '../orchestrate/action-kind.js';
import type { StatePatch } from '../ledger/ledger-store.js';
import type { SourceConfig, SourceTable } from './source.js';

/** Projected collections written by source actions. */
export const SOURCES = 'sources';
export const TABLES = 'tables';

/** The projected view of a source: its config (no secrets) and its tables by name. */
export interface SourceRecord {
  readonly kind: SourceConfig['kind'];
  readonly location: string;
  readonly credential: string | null;
  readonly options: Readonly<Record<string, unknown>>;
  readonly tables: readonly string[];
}

export interface ConnectParams {
  readonly name: string;
  readonly kind: SourceConfig['kind'];
  readonly location: string;
  readonly credential: string | null;
  readonly options: Readonly<Record<string, unknown>>;
}

export const tableKey = (source: string, table: string): string => `${source}.${table}`;

/**
 * `source.connect`: record a source and its discovered tables. Discovery itself runs before
 * the action (its cheap data fingerprints are the action's inputs), so a source whose data did
 * not change is reused rather than recorded twice. The output is the table list.
 */
export function connectAction(
  tables: readonly SourceTable[],
  previousTables: readonly string[] = [],
): ActionKind<ConnectParams, { tables: SourceTable[] }> {
  return {
    kind: 'source.connect',
    version: '1',
    run: async () => ({ tables: [...tables] }),
    project: (value, params) => sourcePatches(params, value.tables, previousTables),
  };
}

/** Patches that make the projection match the source; tables that vanished are deleted. */
export function sourcePatches(
  params: ConnectParams,
  tables: readonly SourceTable[],
  previousTables: readonly string[] = [],
): StatePatch[] {
  const current = new Set(tables.map((t) => t.name));
  const gone = previousTables.filter((name) => !current.has(name));
  const record: SourceRecord = {
    kind: params.kind,
    location: params.location,
    credential: params.credential,
    options: params.options,
    tables: tables.map((t) => t.name),
  };
  return [
    { collection: SOURCES, key: params.name, value: record },
    ...tables.map((t) => ({ collection: TABLES, key: tableKey(params.name, t.name), value: t })),
    ...gone.map((name) => ({ collection: TABLES, key: tableKey(params.name, name), value: null })),
  ];
}
