/**
 * SQLite values to and from the `SqlValue` contract (see engine-values.ts). SQLite stores
 * only integers, reals, text and blobs, so a column's declared type decides the rest:
 * BOOLEAN 0/1 become booleans, TIMESTAMP text becomes the ISO form.
 */
import type { Params, SqlValue } from '../engine.js';
import type { LogicalType } from '../engine.js';
import { integerValue, isoFromTimestampText, plainBytes } from '../engine-values.js';
import { sqliteLogicalType } from './sqlite-dialect.js';

export type ColumnReader = (value: unknown) => SqlValue;

/** One reader per result column, chosen once from its declared type (null for expressions). */
export function columnReader(declaredType: string | null): ColumnReader {
  const logical: LogicalType | undefined = declaredType === null ? undefined : sqliteLogicalType(declaredType);
  if (logical === 'boolean') {
    return (v) => (typeof v === 'bigint' ? v !== 0n : typeof v === 'number' ? v !== 0 : fromSqlite(v));
  }
  if (logical === 'timestamp') return (v) => (typeof v === 'string' ? isoFromTimestampText(v) : fromSqlite(v));
  return fromSqlite;
}

export function fromSqlite(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return integerValue(value);
  if (value instanceof Uint8Array) return plainBytes(value);
  return value as number | string;
}

/**
 * SQLite reads `$1` as a parameter named "1", so positional params bind as an object.
 * Safe integers bind as bigints to be stored as INTEGER (a JS number always binds as REAL);
 * booleans as 0/1 and Dates as ISO text, SQLite having neither type.
 */
export function toSqliteParams(params: Params | undefined): Record<string, unknown> | undefined {
  if (params === undefined || params.length === 0) return undefined;
  const named: Record<string, unknown> = {};
  params.forEach((p, i) => {
    named[String(i + 1)] = toSqliteValue(p);
  });
  return named;
}

function toSqliteValue(p: Params[number]): unknown {
  if (typeof p === 'boolean') return p ? 1n : 0n;
  if (typeof p === 'number') return Number.isSafeInteger(p) ? BigInt(p) : p;
  if (p instanceof Date) return p.toISOString();
  if (p instanceof Uint8Array) return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
  return p;
}
