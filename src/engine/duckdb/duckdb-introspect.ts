/** DuckDB catalog queries: the columns of one table and the user tables. */
import type { ColumnInfo, TableRef } from '../engine.js';
import { duckDbLogicalType } from './duckdb-dialect.js';

type RunQuery = (sql: string, params?: ReadonlyArray<string | null>) => Promise<{ rows: Record<string, unknown>[] }>;

// Attached databases and temp tables live in other catalogs; the engine's own is the user's.
const DESCRIBE_SQL = `SELECT column_name, data_type, is_nullable
FROM information_schema.columns
WHERE table_catalog = current_database()
  AND table_schema = coalesce($1, current_schema())
  AND table_name = $2
ORDER BY ordinal_position`;

const LIST_TABLES_SQL = `SELECT table_schema, table_name
FROM information_schema.tables
WHERE table_catalog = current_database()
  AND table_schema NOT IN ('information_schema', 'pg_catalog')
ORDER BY table_schema, table_name`;

/** The columns of a table, or an empty list when it does not exist. */
export async function describeDuckDbTable(run: RunQuery, table: TableRef): Promise<ColumnInfo[]> {
  const { rows } = await run(DESCRIBE_SQL, [table.schema ?? null, table.name]);
  return rows.map((r) => ({
    name: String(r['column_name']),
    physicalType: String(r['data_type']),
    logicalType: duckDbLogicalType(String(r['data_type'])),
    nullable: r['is_nullable'] === 'YES',
  }));
}

export async function listDuckDbTables(run: RunQuery): Promise<TableRef[]> {
  const { rows } = await run(LIST_TABLES_SQL);
  return rows.map((r) => ({ schema: String(r['table_schema']), name: String(r['table_name']) }));
}
