/** DuckDB's SQL dialect: quoting, its type names mapped to logical types, and fragments. */
import type { Dialect, LogicalType } from '../engine.js';
import { quoteIdent, quoteString, quoteTable } from '../quote.js';
import { hex4, integerLiteral, quantileLiteral, wordPattern } from '../sql-fragments.js';

const PREFILTER_MARGIN = 1.25;

/**
 * One switch over DuckDB type names as `information_schema.columns.data_type` and result
 * column types print them: `DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`, `INTEGER[]`,
 * `STRUCT("a" INTEGER)`, `VARCHAR`.
 */
export function duckDbLogicalType(physicalType: string): LogicalType {
  const type = physicalType.trim().toUpperCase();
  if (type.endsWith(']') || /^(STRUCT|MAP|UNION|LIST)\b/.test(type) || type === 'JSON' || type === 'VARIANT') {
    return 'json';
  }
  const base = type.replace(/\(.*$/, '').trim();
  switch (base) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'HUGEINT':
    case 'UTINYINT':
    case 'USMALLINT':
    case 'UINTEGER':
    case 'UBIGINT':
    case 'UHUGEINT':
    case 'BIGNUM':
    case 'INT1':
    case 'INT2':
    case 'INT4':
    case 'INT8':
    case 'INT':
    case 'LONG':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
    case 'REAL':
    case 'FLOAT4':
    case 'FLOAT8':
      return 'float';
    case 'DECIMAL':
    case 'NUMERIC':
      return 'decimal';
    case 'BOOLEAN':
    case 'BOOL':
      return 'boolean';
    case 'VARCHAR':
    case 'TEXT':
    case 'STRING':
    case 'CHAR':
    case 'BPCHAR':
    case 'UUID':
    case 'ENUM':
      return 'string';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
    case 'DATETIME':
    case 'TIMESTAMP WITH TIME ZONE':
    case 'TIMESTAMPTZ':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
      return 'timestamp';
    case 'TIME':
    case 'TIME WITH TIME ZONE':
    case 'TIMETZ':
    case 'TIME_NS':
      return 'time';
    case 'INTERVAL':
      return 'interval';
    case 'BLOB':
    case 'BYTEA':
    case 'BIT':
    case 'BITSTRING':
    case 'GEOMETRY':
      return 'binary';
    default:
      // DuckDB prints ENUM columns as ENUM('a', 'b'); the paren strip above leaves ENUM.
      return 'other';
  }
}

export const duckDbDialect: Dialect = {
  name: 'duckdb',
  quoteIdent,
  quoteTable,
  quoteString,
  logicalType: duckDbLogicalType,
  castText: (expr) => `CAST(${expr} AS VARCHAR)`,
  approxDistinct: (expr) => `approx_count_distinct(${expr})`,
  quantile: (expr, q) => `quantile_cont(${expr}, ${quantileLiteral(q)})`,
  regexMatch: (expr, pattern) => `regexp_full_match(${expr}, ${quoteString(pattern)})`,
  // Not USING SAMPLE reservoir(n ROWS) REPEATABLE: in DuckDB 1.5 a small reservoir (n = 5 of
  // 2M rows) draws only from the first ~20k rows. Ordering by a seeded hash of the whole row
  // is uniform and repeatable, at ~200 ms per 10M rows.
  sample: (tableSql, n, seed, rows) => {
    const limit = integerLiteral(n, 'Sample size');
    const hash = `hash(fathom_sample, ${integerLiteral(seed, 'Sample seed')})`;
    if (rows === undefined || n < 1000 || n * PREFILTER_MARGIN >= rows)
      return `SELECT * FROM ${tableSql} AS fathom_sample ORDER BY ${hash} LIMIT ${limit}`;
    // The n smallest hashes lie below ~n/rows of the hash range: keep 1.25x that before the
    // sort (70 standard deviations of margin at n = 100k). 10M rows: 2.3 s -> 0.9 s.
    const threshold = (2n ** 64n * BigInt(Math.ceil((n * PREFILTER_MARGIN * 1e6) / rows))) / 1_000_000n;
    return (
      `SELECT * EXCLUDE (fathom_h) FROM (SELECT *, ${hash} AS fathom_h FROM ${tableSql} AS fathom_sample) AS fathom_pre ` +
      `WHERE fathom_h < ${threshold} ORDER BY fathom_h LIMIT ${limit}`
    );
  },
  // No cast to TIMESTAMP first: casting a TIMESTAMPTZ to TIMESTAMP gives its wall-clock time in
  // the session's TimeZone, so under anything but UTC the instant moved. epoch() takes the
  // instant of a TIMESTAMPTZ, a zone-less TIMESTAMP as UTC and a DATE as its UTC midnight.
  epochSeconds: (expr) => `epoch(${expr})`,
  // date_part on a TIMESTAMPTZ answers in the session's TimeZone. Rebuilding a zone-less
  // timestamp from the epoch microseconds gives the UTC calendar for all three types.
  datePart: (part, expr) => `CAST(date_part(${quoteString(part)}, make_timestamp(epoch_us(${expr}))) AS INTEGER)`,
  // Not '\S+': RE2's \s is ASCII only (not even \v), so 'a<U+00A0>b' was one word here and two
  // on SQLite; the shared class is JavaScript's \s.
  wordCount: (expr) => `len(regexp_extract_all(${expr}, ${quoteString(wordPattern((c) => `\\x{${hex4(c)}}`))}))`,
  stddevSamp: (expr) => `stddev_samp(${expr})`,
  // DuckDB's regr_slope is NaN (0 / 0) over one (y, x) pair or a constant x (DuckDB 1.5);
  // Postgres and SQLite say null. Its regr_sxx is exactly 0 then (Welford on equal values).
  regrSlope: (y, x) => `CASE WHEN regr_sxx(${y}, ${x}) > 0 THEN regr_slope(${y}, ${x}) END`,
};
