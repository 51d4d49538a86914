import type { ColumnInfo, Engine, LogicalType, Row, SqlValue } from '../engine/engine.js';
import type { SourceTable } from '../sources/source.js';
import { alias, distinctSql, isNumeric, profileSql } from './profile-sql.js';

export interface ColumnProfile {
  readonly name: string;
  readonly physicalType: string;
  readonly logicalType: LogicalType;
  readonly nulls: number;
  readonly distinct: number;
  /** True when `distinct` is an estimate (HyperLogLog, for tables too big to count exactly). */
  readonly distinctApproximate: boolean;
  readonly min: string | null;
  readonly max: string | null;
  readonly mean: number | null;
  readonly stddev: number | null;
}

export interface TableProfile {
  readonly source: string;
  readonly table: string;
  readonly rows: number;
  readonly columns: readonly ColumnProfile[];
}

const num = (v: SqlValue | undefined): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0);
const numOrNull = (v: SqlValue | undefined): number | null => (v === null || v === undefined ? null : num(v));
const textOrNull = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** Up to this many rows x columns, distinct counts are exact (see ProfileSqlOptions for the cost). */
export const EXACT_DISTINCT_MAX_CELLS = 200_000_000;
/** Columns per exact-distinct query (about 180 MB of DuckDB state, see distinctSql). */
const DISTINCT_BATCH = 64;
/**
 * Each batch reads the table again: a 10,000-column CSV took 89 s instead of 15 s in 157
 * batches. Wider tables keep the estimate, flagged as such.
 */
export const EXACT_DISTINCT_MAX_COLUMNS = 8 * DISTINCT_BATCH;

/** Profile one table with a single aggregate query, pushed to the engine that holds it. */
export async function profileTable(engine: Engine, table: SourceTable): Promise<TableProfile> {
  const columns: readonly ColumnInfo[] = table.columns.length > 0 ? table.columns : await engine.describe(table.ref);
  const tableSql = engine.dialect.quoteTable(table.ref);
  const exactDistinct =
    !engine.capabilities.approxDistinct ||
    (table.rows !== null && columns.length <= EXACT_DISTINCT_MAX_COLUMNS && table.rows * columns.length <= EXACT_DISTINCT_MAX_CELLS);
  // Engines without an estimate (Postgres, SQLite) always counted exactly in the one query.
  const batched = exactDistinct && engine.capabilities.approxDistinct;
  const sql = profileSql(engine.dialect, tableSql, columns, { distinct: batched ? 'none' : exactDistinct ? 'exact' : 'approx' });
  const r: Row = { ...(await engine.query(sql)).rows[0] };
  for (let from = 0; batched && from < columns.length; from += DISTINCT_BATCH) {
    Object.assign(r, (await engine.query(distinctSql(engine.dialect, tableSql, columns.slice(from, from + DISTINCT_BATCH), from))).rows[0]);
  }
  const rowCount = num(r.row_count);
  return {
    source: table.source,
    table: table.name,
    rows: rowCount,
    columns: columns.map((c, i) => ({
      name: c.name,
      physicalType: c.physicalType,
      logicalType: c.logicalType,
      nulls: rowCount - num(r[alias(i, 'nonnull')]),
      // Approximate distinct counts (HyperLogLog) can exceed the non-null count; clamp them.
      distinct: Math.min(num(r[alias(i, 'distinct')]), num(r[alias(i, 'nonnull')])),
      distinctApproximate: !exactDistinct,
      min: textOrNull(r[alias(i, 'min')]),
      max: textOrNull(r[alias(i, 'max')]),
      mean: isNumeric(c.logicalType) ? numOrNull(r[alias(i, 'mean')]) : null,
      stddev: isNumeric(c.logicalType) ? numOrNull(r[alias(i, 'stddev')]) : null,
    })),
  };
}
