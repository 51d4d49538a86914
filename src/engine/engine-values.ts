/**
 * Value normalisation shared by every engine, so that one query gives the same JS values on
 * DuckDB, Postgres and SQLite. The contract (also documented on `SqlValue`):
 * - integers: a number when it is a safe integer, else its decimal string;
 * - decimals: a number (precision beyond a double is lost, by design: profiling wants numbers);
 * - dates: `YYYY-MM-DD`;
 * - timestamps, with or without time zone: the instant in UTC, formatted exactly as
 *   `Date.prototype.toISOString()` does (`2024-01-02T03:04:05.123Z`, milliseconds, sub-millisecond
 *   digits truncated); a timestamp without time zone is read as UTC; infinite ones are the
 *   strings `infinity` and `-infinity`;
 * - times and intervals: the engine's own text (not compared across engines);
 * - binary: a plain Uint8Array (never a Buffer, so deepEqual works across engines);
 * - lists, structs, maps, arrays and JSON: JSON text.
 */
import type { Row, SqlValue } from './engine.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

export function integerValue(value: bigint): number | string {
  return value <= MAX_SAFE && value >= MIN_SAFE ? Number(value) : value.toString();
}

/** Integer text (as Postgres sends int8) to the integer contract. */
export function integerFromText(text: string): number | string {
  return integerValue(BigInt(text));
}

/** A millisecond epoch to the timestamp contract. */
export function isoFromEpochMillis(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

/** Floor division: a timestamp before 1970 must not round towards the epoch. */
export function isoFromEpochMicros(micros: bigint): string {
  const ms = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  return isoFromEpochMillis(Number(ms));
}

const TIMESTAMP_TEXT =
  /^(\d{4,})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?\s*(Z|[+-]\d\d(?::?\d\d)?(?::?\d\d)?)?( BC)?$/i;

/**
 * Timestamp text as Postgres and SQLite write it (`2024-01-02 03:04:05.123456+00`, no zone
 * meaning UTC) to the timestamp contract. Text that is not a timestamp is returned unchanged,
 * so a mistyped SQLite column never loses data.
 */
export function isoFromTimestampText(text: string): string {
  const m = TIMESTAMP_TEXT.exec(text);
  if (m === null) return text;
  const [, y, mo, d, h, mi, s, frac, zone, bc] = m;
  if (bc !== undefined) return text;
  const ms = Number(((frac ?? '') + '000').slice(0, 3));
  let epoch = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  // Date.UTC maps years 0-99 to 1900-1999.
  if (Number(y) < 100) epoch = new Date(epoch).setUTCFullYear(Number(y));
  return isoFromEpochMillis(epoch - zoneOffsetMillis(zone));
}

function zoneOffsetMillis(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replaceAll(':', '');
  const seconds =
    Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0);
  return (zone.startsWith('-') ? -seconds : seconds) * 1000;
}

/** Bytes as a plain Uint8Array; a Buffer is a Uint8Array subclass that deepEqual tells apart. */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** JSON text for a nested value; binary inside it becomes base64, bigints numbers or strings. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return integerValue(v);
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    return v;
  });
}

/**
 * Build a row object. A column may be called `__proto__`; plain assignment would set the
 * prototype instead of a property, so that one name is defined explicitly.
 */
export function makeRow(names: readonly string[], values: readonly SqlValue[]): Row {
  const row: Row = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = values[i] ?? null;
    if (name === '__proto__') {
      Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
    } else {
      row[name] = value;
    }
  }
  return row;
}
