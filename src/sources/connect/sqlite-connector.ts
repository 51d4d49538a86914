import type { SourceConfig, SourceTable } from '../source.js';
import { openSqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import type { ConnectDeps } from './connect-deps.js';
import { databasePath, embeddedTable, stampFile } from './database-file.js';

/** Tables and views of a SQLite file, opened read-only. Fingerprints: see `embeddedTable`. */
export async function discoverSqliteTables(config: SourceConfig, deps: ConnectDeps): Promise<SourceTable[]> {
  const path = await databasePath(config, deps.cwd);
  const engine = await openSqliteEngine({ path, readOnly: true });
  try {
    const stamp = await stampFile(path, `${path}-wal`);
    const { rows } = await engine.query(
      `SELECT name, coalesce(sql, '') AS sql FROM sqlite_schema
       WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
    );
    const tables: SourceTable[] = [];
    for (const row of rows) {
      tables.push(
        await embeddedTable(engine, config, { schema: 'main', name: String(row.name) }, String(row.sql), stamp, 'main'),
      );
    }
    return tables;
  } finally {
    await engine.close();
  }
}
