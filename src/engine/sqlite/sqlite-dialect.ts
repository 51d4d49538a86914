/**
 * SQLite's SQL dialect. SQLite has no quantile, regex or seeded-random functions; the SQLite
 * engine registers JS ones (sqlite-functions.ts) that these fragments call, so the fragments
 * only run on a connection opened by `openSqliteEngine`.
 */
import type { DatePart, Dialect, LogicalType } from '../engine.js';
import { quoteIdent, quoteString, quoteTable } from '../quote.js';
import { fullMatchPattern, integerLiteral, quantileLiteral } from '../sql-fragments.js';

/**
 * SQLite columns carry whatever type name was declared (`NUMERIC(10,2)`, `DATETIME`, none at
 * all). Well-known names are matched first; the rest follow SQLite's own affinity rules
 * (https://sqlite.org/datatype3.html, section 3.1).
 */
export function sqliteLogicalType(declaredType: string): LogicalType {
  const type = declaredType.toUpperCase().replace(/\(.*$/, '').trim();
  switch (type) {
    case '':
      return 'other';
    case 'BOOL':
    case 'BOOLEAN':
      return 'boolean';
    case 'DATE':
      return 'date';
    case 'DATETIME':
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ':
    case 'TIMESTAMP WITH TIME ZONE':
    case 'TIMESTAMP WITHOUT TIME ZONE':
      return 'timestamp';
    case 'TIME':
      return 'time';
    case 'DECIMAL':
    case 'NUMERIC':
    case 'MONEY':
      return 'decimal';
    case 'JSON':
    case 'JSONB':
      return 'json';
    case 'BYTEA':
    case 'BLOB':
      return 'binary';
    case 'UUID':
      return 'string';
  }
  if (type.includes('INT')) return 'integer';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'string';
  if (type.includes('BLOB')) return 'binary';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'float';
  return 'other';
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  quoteIdent,
  quoteTable,
  quoteString,
  logicalType: sqliteLogicalType,
  castText: (expr) => `CAST(${expr} AS TEXT)`,
  // SQLite has no approximate distinct count; the exact one is affordable at SQLite sizes.
  approxDistinct: (expr) => `COUNT(DISTINCT ${expr})`,
  quantile: (expr, q) => `fathom_quantile_cont(${expr}, ${quantileLiteral(q)})`,
  regexMatch: (expr, pattern) => `(${expr} REGEXP ${quoteString(fullMatchPattern(pattern))})`,
  sample: (tableSql, n, seed) =>
    `SELECT * FROM ${tableSql} AS fathom_sample ORDER BY fathom_seeded_random(${integerLiteral(seed, 'Sample seed')}) ` +
    `LIMIT ${integerLiteral(n, 'Sample size')}`,
  // unixepoch reads ISO text ('2024-01-02 03:04:05', '…T…Z', '…+05:30'), the way dates are
  // stored here; 'subsec' (SQLite 3.42) keeps the milliseconds exact. Not julianday: its
  // day-fraction double came back 2e-6 s off ('…59.123' gave 1709251199.1229982).
  epochSeconds: (expr) => `unixepoch(${expr}, 'subsec')`,
  datePart: (part, expr) => `CAST(strftime(${quoteString(SQLITE_PART[part])}, ${expr}) AS INTEGER)`,
  wordCount: (expr) => `fathom_word_count(${expr})`,
  stddevSamp: (expr) => `stddev_samp(${expr})`,
  regrSlope: (y, x) => `regr_slope(${y}, ${x})`,
};

const SQLITE_PART: Record<DatePart, string> = { year: '%Y', month: '%m', day: '%d', hour: '%H', dow: '%w' };
