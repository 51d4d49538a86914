/** Postgres's SQL dialect: quoting, its type names mapped to logical types, and fragments. */
import type { Dialect, LogicalType } from '../engine.js';
import { quoteIdent, quoteString } from '../quote.js';
import { FathomError } from '../../util/fathom-error.js';
import { fullMatchPattern, hex4, integerLiteral, quantileLiteral, wordPattern } from '../sql-fragments.js';

/**
 * One switch over type names as `format_type()` prints them: `integer`, `numeric(10,2)`,
 * `timestamp(3) with time zone`, `character varying(20)`, `integer[]`. Modifiers are stripped
 * first; any array is JSON because rows carry it as JSON text.
 */
export function postgresLogicalType(physicalType: string): LogicalType {
  const type = physicalType.trim().toLowerCase();
  if (type.endsWith('[]')) return 'json';
  switch (
    type
      .replace(/\(.*?\)/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  ) {
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'int2':
    case 'int4':
    case 'int8':
    case 'smallserial':
    case 'serial':
    case 'bigserial':
    case 'oid':
      return 'integer';
    case 'real':
    case 'double precision':
    case 'float4':
    case 'float8':
      return 'float';
    case 'numeric':
    case 'decimal':
      return 'decimal';
    case 'boolean':
    case 'bool':
      return 'boolean';
    case 'text':
    case 'character varying':
    case 'varchar':
    case 'character':
    case 'char':
    case 'bpchar':
    case '"char"':
    case 'name':
    case 'uuid':
    case 'citext':
    case 'inet':
    case 'cidr':
    case 'macaddr':
    case 'xml':
      return 'string';
    case 'date':
      return 'date';
    case 'timestamp without time zone':
    case 'timestamp with time zone':
    case 'timestamp':
    case 'timestamptz':
      return 'timestamp';
    case 'time without time zone':
    case 'time with time zone':
    case 'time':
    case 'timetz':
      return 'time';
    case 'interval':
      return 'interval';
    case 'bytea':
      return 'binary';
    case 'json':
    case 'jsonb':
      return 'json';
    default:
      return 'other';
  }
}

/** Postgres truncates identifiers past NAMEDATALEN - 1 bytes; two long names could collide. */
const MAX_IDENT_BYTES = 63;

function quotePostgresIdent(name: string): string {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENT_BYTES) {
    throw new FathomError(
      'bad_input',
      `Postgres identifier is ${bytes} bytes, over its ${MAX_IDENT_BYTES}-byte limit: ${JSON.stringify(name)}`,
      {
        hint: 'Postgres would silently cut it short; use a shorter name (Fathom maps long feature names to short column names).',
      },
    );
  }
  return quoteIdent(name);
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  quoteIdent: quotePostgresIdent,
  quoteTable: (ref) =>
    ref.schema === undefined
      ? quotePostgresIdent(ref.name)
      : `${quotePostgresIdent(ref.schema)}.${quotePostgresIdent(ref.name)}`,
  quoteString,
  logicalType: postgresLogicalType,
  castText: (expr) => `CAST(${expr} AS text)`,
  // Postgres has no built-in approximate distinct count (HyperLogLog is an extension).
  approxDistinct: (expr) => `COUNT(DISTINCT ${expr})`,
  quantile: (expr, q) => `percentile_cont(${quantileLiteral(q)}) WITHIN GROUP (ORDER BY ${expr})`,
  regexMatch: (expr, pattern) => `(${expr} ~ ${quoteString(fullMatchPattern(pattern))})`,
  // TABLESAMPLE works only on base tables and by fraction, and setseed() needs its own
  // statement; ordering by a hash of the row and the seed is repeatable on any relation.
  sample: (tableSql, n, seed) =>
    `SELECT * FROM ${tableSql} AS fathom_sample ORDER BY md5(CAST(fathom_sample AS text) || ` +
    `'${integerLiteral(seed, 'Sample seed')}') LIMIT ${integerLiteral(n, 'Sample size')}`,
  // The session's TimeZone is UTC (postgres-connect.ts): a zoned timestamp's parts are UTC's,
  // and a zone-less one or a date reads as UTC. EXTRACT gives ±Infinity for an infinite
  // timestamp (DuckDB and SQLite give null), which the integer cast rejects: guard both.
  epochSeconds: (expr) => `CASE WHEN isfinite(${expr}) THEN CAST(EXTRACT(EPOCH FROM ${expr}) AS DOUBLE PRECISION) END`,
  // Through timestamp because EXTRACT(HOUR FROM <date>) is an error ('unit "hour" not
  // supported for type date', Postgres 14+); the cast of a timestamptz reads it in UTC.
  datePart: (part, expr) => {
    const ts = `CAST(${expr} AS timestamp)`;
    return `CASE WHEN isfinite(${ts}) THEN CAST(EXTRACT(${part.toUpperCase()} FROM ${ts}) AS INTEGER) END`;
  },
  // regexp_count needs Postgres 15. Not '\S+': Postgres's \s follows the server locale (under
  // C.UTF-8 it leaves out U+00A0 and U+FEFF); the shared class is JavaScript's \s.
  wordCount: (expr) => `regexp_count(${expr}, ${quoteString(wordPattern((c) => `\\u${hex4(c)}`))})`,
  // Postgres's float8 accumulators (Youngs-Cramer) leave rounding residue on constant input:
  // STDDEV_SAMP of seven 0.1s is 1.1e-17, not 0, and REGR_SLOPE over a constant x of 0.1 is
  // 2.4e17, not null. DuckDB and SQLite (Welford) give 0 and null; MIN = MAX detects the case.
  stddevSamp: (expr) =>
    `CASE WHEN MIN(${expr}) < MAX(${expr}) THEN STDDEV_SAMP(${expr}) WHEN COUNT(${expr}) > 1 THEN 0 END`,
  regrSlope: (y, x) => {
    const pairedX = `CASE WHEN ${y} IS NOT NULL THEN ${x} END`;
    return `CASE WHEN MIN(${pairedX}) < MAX(${pairedX}) THEN REGR_SLOPE(${y}, ${x}) END`;
  },
};
