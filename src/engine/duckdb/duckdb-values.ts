/** DuckDB values to and from the engine-neutral `SqlValue` contract (see engine-values.ts). */
import {
  DuckDBBlobValue,
  DuckDBDecimalValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  arrayFromArrayValue,
  arrayFromListValue,
  fromVariantValue,
  objectArrayFromMapValue,
  objectFromStructValue,
  objectFromUnionValue,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBValueConverter,
} from '@duckdb/node-api';
import type { Params, SqlValue } from '../engine.js';
import { integerValue, isoFromEpochMicros, jsonText, plainBytes } from '../engine-values.js';

export function fromDuckDb(value: DuckDBValue, type: DuckDBType): SqlValue {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.VARCHAR:
      return value as boolean | number | string;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return typeof value === 'bigint' ? integerValue(value) : String(value);
    case DuckDBTypeId.DECIMAL: {
      // Scale 0 is an integer in disguise (DuckDB's SUM of BIGINT on some paths, NUMERIC(20));
      // the integer rule keeps large ones exact, as Postgres numeric does.
      const decimal = value as DuckDBDecimalValue;
      return decimal.scale === 0 ? integerValue(decimal.value) : decimal.toDouble();
    }
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampText(value as DuckDBTimestampValue, (value as DuckDBTimestampValue).micros);
    case DuckDBTypeId.TIMESTAMP_S:
      return timestampText(value, (value as DuckDBTimestampSecondsValue).seconds * 1_000_000n);
    case DuckDBTypeId.TIMESTAMP_MS:
      return timestampText(value, (value as DuckDBTimestampMillisecondsValue).millis * 1000n);
    case DuckDBTypeId.TIMESTAMP_NS:
      return timestampText(value, (value as DuckDBTimestampNanosecondsValue).nanos / 1000n);
    case DuckDBTypeId.BLOB:
      return plainBytes((value as DuckDBBlobValue).bytes);
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
    case DuckDBTypeId.VARIANT:
      return jsonText(nestedConverter(value, type, nestedConverter));
    default:
      // DATE, TIME, INTERVAL, UUID, ENUM, BIT, TIME_TZ: DuckDB's own text is the contract.
      return String(value);
  }
}

function timestampText(value: { isFinite: boolean } | DuckDBValue, micros: bigint): string {
  if (typeof value === 'object' && value !== null && 'isFinite' in value && !value.isFinite) {
    return micros > 0n ? 'infinity' : '-infinity';
  }
  return isoFromEpochMicros(micros);
}

/** Walks nested values with the library's walkers, normalising each scalar leaf. */
const nestedConverter: DuckDBValueConverter<unknown> = (value, type, self) => {
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
      return arrayFromListValue(value, type, self);
    case DuckDBTypeId.ARRAY:
      return arrayFromArrayValue(value, type, self);
    case DuckDBTypeId.STRUCT:
      return objectFromStructValue(value, type, self);
    case DuckDBTypeId.MAP:
      return objectArrayFromMapValue(value, type, self);
    case DuckDBTypeId.UNION:
      return objectFromUnionValue(value, type, self);
    case DuckDBTypeId.VARIANT:
      return fromVariantValue(value, type, self);
    default:
      return fromDuckDb(value, type);
  }
};

/**
 * Bind parameters. A Date binds as a TIMESTAMP holding its UTC instant; the session time zone
 * is UTC, so storing it in a TIMESTAMPTZ column keeps the instant too.
 */
export function toDuckDbParams(params: Params | undefined): DuckDBValue[] | undefined {
  if (params === undefined || params.length === 0) return undefined;
  return params.map((p): DuckDBValue => {
    if (p instanceof Date) return new DuckDBTimestampValue(BigInt(p.getTime()) * 1000n);
    if (p instanceof Uint8Array) return new DuckDBBlobValue(p);
    return p;
  });
}
