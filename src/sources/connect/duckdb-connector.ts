import type { SourceConfig, SourceTable } from '../source.js';
import { openDuckDbEngine } from '../../engine/duckdb/duckdb-engine.js';
import type { ConnectDeps } from './connect-deps.js';
import { databasePath, embeddedTable, stampFile } from './database-file.js';

/** Tables and views of a DuckDB file, opened read-only. Fingerprints: see `embeddedTable`. */
export async function discoverDuckDbTables(config: SourceConfig, deps: ConnectDeps): Promise<SourceTable[]> {
  const path = await databasePath(config, deps.cwd);
  const engine = await openDuckDbEngine({ path, readOnly: true });
  try {
    const stamp = await stampFile(path, `${path}.wal`);
    const { rows } = await engine.query(
      `SELECT schema_name, table_name AS name, coalesce(sql, '') AS sql FROM duckdb_tables()
         WHERE database_name = current_database() AND NOT internal AND NOT temporary
       UNION ALL
       SELECT schema_name, view_name, coalesce(sql, '') FROM duckdb_views()
         WHERE database_name = current_database() AND NOT internal AND NOT temporary
       ORDER BY 1, 2`,
    );
    const tables: SourceTable[] = [];
    for (const row of rows) {
      const ref = { schema: String(row.schema_name), name: String(row.name) };
      tables.push(await embeddedTable(engine, config, ref, String(row.sql), stamp, 'main'));
    }
    return tables;
  } finally {
    await engine.close();
  }
}
