/** Each dialect's single type switch, over the type names its catalog actually prints. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogicalType } from './engine.js';
import { duckDbLogicalType } from './duckdb/duckdb-dialect.js';
import { postgresLogicalType } from './postgres/postgres-dialect.js';
import { sqliteLogicalType } from './sqlite/sqlite-dialect.js';

function check(map: (t: string) => LogicalType, cases: Record<string, LogicalType>): void {
  for (const [type, expected] of Object.entries(cases)) assert.equal(map(type), expected, type);
}

test('DuckDB type names map to logical types', () => {
  check(duckDbLogicalType, {
    BIGINT: 'integer',
    HUGEINT: 'integer',
    UTINYINT: 'integer',
    DOUBLE: 'float',
    FLOAT: 'float',
    'DECIMAL(18,3)': 'decimal',
    BOOLEAN: 'boolean',
    VARCHAR: 'string',
    UUID: 'string',
    "ENUM('a', 'b')": 'string',
    DATE: 'date',
    TIMESTAMP: 'timestamp',
    'TIMESTAMP WITH TIME ZONE': 'timestamp',
    TIMESTAMP_NS: 'timestamp',
    TIME: 'time',
    INTERVAL: 'interval',
    BLOB: 'binary',
    'INTEGER[]': 'json',
    'VARCHAR[3]': 'json',
    'STRUCT("a" INTEGER)': 'json',
    'MAP(VARCHAR, INTEGER)': 'json',
    JSON: 'json',
    SOMETHING_NEW: 'other',
  });
});

test('Postgres type names map to logical types', () => {
  check(postgresLogicalType, {
    integer: 'integer',
    bigint: 'integer',
    smallint: 'integer',
    'double precision': 'float',
    real: 'float',
    'numeric(10,2)': 'decimal',
    numeric: 'decimal',
    boolean: 'boolean',
    text: 'string',
    'character varying(20)': 'string',
    'character(3)': 'string',
    uuid: 'string',
    date: 'date',
    'timestamp without time zone': 'timestamp',
    'timestamp(3) with time zone': 'timestamp',
    'time without time zone': 'time',
    interval: 'interval',
    bytea: 'binary',
    jsonb: 'json',
    'integer[]': 'json',
    'timestamp with time zone[]': 'json',
    point: 'other',
    money: 'other',
  });
});

test('SQLite declared types map by well-known name, then by affinity rules', () => {
  check(sqliteLogicalType, {
    INTEGER: 'integer',
    BIGINT: 'integer',
    'UNSIGNED BIG INT': 'integer',
    REAL: 'float',
    'DOUBLE PRECISION': 'float',
    FLOAT: 'float',
    'NUMERIC(10,2)': 'decimal',
    DECIMAL: 'decimal',
    BOOLEAN: 'boolean',
    bool: 'boolean',
    TEXT: 'string',
    'VARCHAR(20)': 'string',
    'NVARCHAR(5)': 'string',
    CLOB: 'string',
    DATE: 'date',
    DATETIME: 'timestamp',
    TIMESTAMP: 'timestamp',
    TIMESTAMPTZ: 'timestamp',
    TIME: 'time',
    BLOB: 'binary',
    BYTEA: 'binary',
    JSON: 'json',
    '': 'other',
    WHATEVER: 'other',
  });
});
