import type { ColumnInfo, Dialect, LogicalType } from '../engine/engine.js';

const NUMERIC: ReadonlySet<LogicalType> = new Set(['integer', 'float', 'decimal']);
const ORDERED: ReadonlySet<LogicalType> = new Set(['integer', 'float', 'decimal', 'date', 'timestamp', 'time', 'string']);

/** Result aliases are positional (`c3_min`) so hostile column names never reach an alias. */
export const alias = (i: number, stat: string): string => `c${i}_${stat}`;

/**
 * One aggregate pass over a table (STYLE 4: one query per table, not per column): row count,
 * and per column non-null count, distinct count, min and max, and mean and stddev for numbers.
 */
export function profileSql(dialect: Dialect, tableSql: string, columns: readonly ColumnInfo[]): string {
  const parts = ['COUNT(*) AS "row_count"'];
  columns.forEach((col, i) => {
    const c = dialect.quoteIdent(col.name);
    parts.push(`COUNT(${c}) AS ${alias(i, 'nonnull')}`);
    parts.push(`${dialect.approxDistinct(c)} AS ${alias(i, 'distinct')}`);
    if (ORDERED.has(col.logicalType)) {
      parts.push(`${dialect.castText(`MIN(${c})`)} AS ${alias(i, 'min')}`);
      parts.push(`${dialect.castText(`MAX(${c})`)} AS ${alias(i, 'max')}`);
    }
    if (NUMERIC.has(col.logicalType)) {
      parts.push(`AVG(CAST(${c} AS DOUBLE PRECISION)) AS ${alias(i, 'mean')}`);
      // SQLite has no STDDEV_SAMP; the profile reports null there rather than a wrong number.
      const sd = dialect.name === 'sqlite' ? 'NULL' : `STDDEV_SAMP(CAST(${c} AS DOUBLE PRECISION))`;
      parts.push(`${sd} AS ${alias(i, 'stddev')}`);
    }
  });
  return `SELECT ${parts.join(', ')} FROM ${tableSql}`;
}

export const isNumeric = (t: LogicalType): boolean => NUMERIC.has(t);
