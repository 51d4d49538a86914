import type { SourceConfig, SourceTable } from '../source.js';
import type { ConnectDeps } from './connect-deps.js';
import { discoverFileTables } from './files-connector.js';
import { discoverSqliteTables } from './sqlite-connector.js';
import { discoverDuckDbTables } from './duckdb-connector.js';
import { discoverPostgresTables } from './postgres-connector.js';

export type { ConnectDeps } from './connect-deps.js';

/** Discover every table of a source with its columns, row count and data fingerprint. */
export async function connectSource(config: SourceConfig, deps: ConnectDeps): Promise<{ tables: SourceTable[] }> {
  switch (config.kind) {
    case 'files':
      return { tables: await discoverFileTables(config, deps) };
    case 'sqlite':
      return { tables: await discoverSqliteTables(config, deps) };
    case 'duckdb':
      return { tables: await discoverDuckDbTables(config, deps) };
    case 'postgres':
      return { tables: await discoverPostgresTables(config, deps) };
  }
}
