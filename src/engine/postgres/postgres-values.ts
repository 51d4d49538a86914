/**
 * Postgres values to and from the `SqlValue` contract (see engine-values.ts). Parsers are set
 * on the pool's own `types`, never on pg's global registry, so other pg users are unaffected.
 */
import pg from 'pg';
import type { Params, SqlValue } from '../engine.js';
import {
  integerFromText,
  integerValue,
  isoFromEpochMillis,
  isoFromTimestampText,
  jsonText,
  plainBytes,
} from '../engine-values.js';

type Parser = (text: string) => unknown;

const identity: Parser = (text) => text;

/** numeric: integers keep the integer rule (SUM of bigint is numeric); fractions become numbers. */
function numericFromText(text: string): number | string {
  return /^-?\d+$/.test(text) ? integerFromText(text) : Number(text);
}

// pg's own text[] parser (OID 1009), reused to split every array type into string leaves.
const anyParser = pg.types.getTypeParser as (oid: number, format: 'text') => Parser;
const textArray = anyParser(1009, 'text');

function arrayOf(leaf: Parser): Parser {
  const walk = (v: unknown): unknown => (Array.isArray(v) ? v.map(walk) : typeof v === 'string' ? leaf(v) : v);
  return (text) => walk(textArray(text));
}

const PARSERS = new Map<number, Parser>([
  [20, integerFromText], // int8
  [1700, numericFromText],
  [1082, identity], // date: DateStyle ISO prints YYYY-MM-DD
  [1114, isoFromTimestampText], // timestamp
  [1184, isoFromTimestampText], // timestamptz (session TimeZone is UTC)
  [114, identity], // json: keep the text, the contract for nested values
  [3802, identity], // jsonb
  [1186, identity], // interval: pg would build an object
  [1016, arrayOf(integerFromText)], // int8[]
  [1231, arrayOf(numericFromText)], // numeric[]
  [1182, arrayOf(identity)], // date[]
  [1115, arrayOf(isoFromTimestampText)], // timestamp[]
  [1185, arrayOf(isoFromTimestampText)], // timestamptz[]
]);

export const POSTGRES_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    (format ?? 'text') === 'text'
      ? (PARSERS.get(oid) ?? anyParser(oid, 'text'))
      : pg.types.getTypeParser(oid, format as 'binary')) as pg.CustomTypesConfig['getTypeParser'],
};

/** A parsed value to the contract: bytea Buffers to plain bytes, arrays and objects to JSON. */
export function fromPostgres(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return integerValue(value);
    default:
      if (value instanceof Uint8Array) return plainBytes(value);
      if (value instanceof Date) return isoFromEpochMillis(value.getTime());
      return jsonText(value);
  }
}

/**
 * Bind parameters. A Date is sent as ISO text in UTC: a `timestamp` column ignores the `Z`
 * and stores the UTC wall time, matching DuckDB and SQLite; pg itself would send local time.
 */
export function toPostgresParams(params: Params | undefined): unknown[] | undefined {
  if (params === undefined || params.length === 0) return undefined;
  return params.map((p) => {
    if (p instanceof Date) return p.toISOString();
    if (typeof p === 'bigint') return p.toString();
    if (p instanceof Uint8Array) return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    return p;
  });
}

/** Names for the type OIDs results commonly carry; others are looked up once per engine. */
export const BUILTIN_TYPE_NAMES = new Map<number, string>([
  [16, 'boolean'],
  [17, 'bytea'],
  [18, '"char"'],
  [19, 'name'],
  [20, 'bigint'],
  [21, 'smallint'],
  [23, 'integer'],
  [25, 'text'],
  [26, 'oid'],
  [114, 'json'],
  [142, 'xml'],
  [700, 'real'],
  [701, 'double precision'],
  [705, 'unknown'],
  [790, 'money'],
  [1042, 'character'],
  [1043, 'character varying'],
  [1082, 'date'],
  [1083, 'time without time zone'],
  [1114, 'timestamp without time zone'],
  [1184, 'timestamp with time zone'],
  [1186, 'interval'],
  [1266, 'time with time zone'],
  [1700, 'numeric'],
  [2950, 'uuid'],
  [3802, 'jsonb'],
  [1000, 'boolean[]'],
  [1005, 'smallint[]'],
  [1007, 'integer[]'],
  [1009, 'text[]'],
  [1015, 'character varying[]'],
  [1016, 'bigint[]'],
  [1021, 'real[]'],
  [1022, 'double precision[]'],
  [1115, 'timestamp without time zone[]'],
  [1182, 'date[]'],
  [1185, 'timestamp with time zone[]'],
  [1231, 'numeric[]'],
]);
