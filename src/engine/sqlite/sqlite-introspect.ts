/** SQLite catalog queries: the columns of one table and the user tables. */
import type { ColumnInfo, TableRef } from '../engine.js';
import { sqliteLogicalType } from './sqlite-dialect.js';

type RunQuery = (sql: string, params?: ReadonlyArray<string>) => Promise<{ rows: Record<string, unknown>[] }>;

// Without a schema, pragma_table_info searches temp, main and attached databases in order,
// as an unqualified name in a query does.
const COLUMNS = 'SELECT name, type, "notnull" AS not_null FROM';

export async function describeSqliteTable(run: RunQuery, table: TableRef): Promise<ColumnInfo[]> {
  const { rows } =
    table.schema === undefined
      ? await run(`${COLUMNS} pragma_table_info($1) ORDER BY cid`, [table.name])
      : await run(`${COLUMNS} pragma_table_info($1, $2) ORDER BY cid`, [table.name, table.schema]);
  return rows.map((r) => ({
    name: String(r['name']),
    physicalType: String(r['type']),
    logicalType: sqliteLogicalType(String(r['type'])),
    nullable: r['not_null'] === 0,
  }));
}

export async function listSqliteTables(run: RunQuery): Promise<TableRef[]> {
  const { rows } = await run(
    `SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
  );
  return rows.map((r) => ({ schema: 'main', name: String(r['name']) }));
}
