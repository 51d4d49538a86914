/** Postgres catalog queries: the columns of one table and the user tables. */
import type { ColumnInfo, LogicalType, TableRef } from '../engine.js';
import { quoteTable } from '../quote.js';
import { postgresLogicalType } from './postgres-dialect.js';

type RunQuery = (sql: string, params?: ReadonlyArray<string | null>) => Promise<{ rows: Record<string, unknown>[] }>;

// to_regclass resolves an unqualified name through the search path, as a query would, and
// gives NULL for a missing table instead of an error. Domains are typed by their base type.
const DESCRIBE_SQL = `SELECT a.attname AS name,
  format_type(a.atttypid, a.atttypmod) AS physical_type,
  format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, a.atttypmod) AS base_type,
  t.typtype = 'e' AS is_enum,
  NOT a.attnotnull AS nullable
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

const LIST_TABLES_SQL = `SELECT table_schema, table_name
FROM information_schema.tables
WHERE ($1::text IS NULL AND table_schema NOT IN ('pg_catalog', 'information_schema')
       AND table_schema NOT LIKE 'pg\\_temp\\_%' AND table_schema NOT LIKE 'pg\\_toast%')
   OR table_schema = $1::text
ORDER BY table_schema, table_name`;

export async function describePostgresTable(run: RunQuery, table: TableRef): Promise<ColumnInfo[]> {
  const { rows } = await run(DESCRIBE_SQL, [quoteTable(table)]);
  return rows.map((r) => {
    const logicalType: LogicalType = r['is_enum'] === true ? 'string' : postgresLogicalType(String(r['base_type']));
    return {
      name: String(r['name']),
      physicalType: String(r['physical_type']),
      logicalType,
      nullable: r['nullable'] === true,
    };
  });
}

/** Tables and views; only `schema`'s when the engine was opened on one. */
export async function listPostgresTables(run: RunQuery, schema: string | undefined): Promise<TableRef[]> {
  const { rows } = await run(LIST_TABLES_SQL, [schema ?? null]);
  return rows.map((r) => ({ schema: String(r['table_schema']), name: String(r['table_name']) }));
}
