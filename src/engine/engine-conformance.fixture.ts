/**
 * The conformance fixture: a table whose column names say their types, the DDL type each
 * engine uses for them, and the ONE expected result every engine must return. Sharing the
 * expectation is what proves value normalisation is identical across engines.
 */
import type { EngineName, LogicalType, Params, Row } from './engine.js';

export const FIXTURE_COLUMNS = [
  'id',
  'num1',
  'int1',
  'dec1',
  'ts1',
  'tstz1',
  'date1',
  'cat1',
  'bool1',
  'bin1',
] as const;
export type FixtureColumn = (typeof FIXTURE_COLUMNS)[number];

export const FIXTURE_TYPES: Record<EngineName, Record<FixtureColumn, string>> = {
  duckdb: {
    id: 'INTEGER',
    num1: 'DOUBLE',
    int1: 'BIGINT',
    dec1: 'DECIMAL(10,2)',
    ts1: 'TIMESTAMP',
    tstz1: 'TIMESTAMPTZ',
    date1: 'DATE',
    cat1: 'VARCHAR',
    bool1: 'BOOLEAN',
    bin1: 'BLOB',
  },
  postgres: {
    id: 'INTEGER',
    num1: 'DOUBLE PRECISION',
    int1: 'BIGINT',
    dec1: 'NUMERIC(10,2)',
    ts1: 'TIMESTAMP',
    tstz1: 'TIMESTAMPTZ',
    date1: 'DATE',
    cat1: 'TEXT',
    bool1: 'BOOLEAN',
    bin1: 'BYTEA',
  },
  sqlite: {
    id: 'INTEGER',
    num1: 'REAL',
    int1: 'INTEGER',
    dec1: 'NUMERIC(10,2)',
    ts1: 'TIMESTAMP',
    tstz1: 'TIMESTAMPTZ',
    date1: 'DATE',
    cat1: 'TEXT',
    bool1: 'BOOLEAN',
    bin1: 'BLOB',
  },
};

export const FIXTURE_LOGICAL: Record<FixtureColumn, LogicalType> = {
  id: 'integer',
  num1: 'float',
  int1: 'integer',
  dec1: 'decimal',
  ts1: 'timestamp',
  tstz1: 'timestamp',
  date1: 'date',
  cat1: 'string',
  bool1: 'boolean',
  bin1: 'binary',
};

/** 2^53 + 1: the smallest integer a double cannot hold, so it must come back as a string. */
const UNSAFE = 9007199254740993n;

export const FIXTURE_PARAMS: Params[] = [
  [
    1,
    1.5,
    42,
    12.34,
    new Date('2024-01-02T03:04:05.678Z'),
    new Date('2024-06-30T23:00:00.000Z'),
    '2024-01-02',
    'a',
    true,
    new Uint8Array([0, 1, 255]),
  ],
  [
    2,
    -0.25,
    UNSAFE,
    -1.5,
    new Date('1969-12-31T23:59:59.999Z'),
    new Date('1999-12-31T12:00:00.000Z'),
    '1999-12-31',
    'naïve ✓',
    false,
    new Uint8Array([]),
  ],
  [3, null, null, null, null, null, null, null, null, null],
];

export const FIXTURE_ROWS: Row[] = [
  {
    id: 1,
    num1: 1.5,
    int1: 42,
    dec1: 12.34,
    ts1: '2024-01-02T03:04:05.678Z',
    tstz1: '2024-06-30T23:00:00.000Z',
    date1: '2024-01-02',
    cat1: 'a',
    bool1: true,
    bin1: new Uint8Array([0, 1, 255]),
  },
  {
    id: 2,
    num1: -0.25,
    int1: '9007199254740993',
    dec1: -1.5,
    ts1: '1969-12-31T23:59:59.999Z',
    tstz1: '1999-12-31T12:00:00.000Z',
    date1: '1999-12-31',
    cat1: 'naïve ✓',
    bool1: false,
    bin1: new Uint8Array([]),
  },
  {
    id: 3,
    num1: null,
    int1: null,
    dec1: null,
    ts1: null,
    tstz1: null,
    date1: null,
    cat1: null,
    bool1: null,
    bin1: null,
  },
];

/** Names chosen to break naive quoting: quotes, dots, spaces, unicode, keywords, `__proto__`. */
export const HOSTILE_TABLE = 'we"ird.naïve ✓ select';
export const HOSTILE_COLUMNS = [
  'select',
  'order',
  'group',
  'with "quotes"',
  'with space',
  'naïve ✓',
  'dot.col',
  '__proto__',
  'MixedCase',
] as const;

/**
 * Counting from 1 to n (n < 100000) in SQL all three engines accept. A cross join of digits,
 * because DuckDB takes 3 s for a 50k-step recursive CTE and this takes milliseconds.
 */
export function countingSql(n: number): string {
  const digits = 'd(x) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))';
  const i = 'a.x + 10 * b.x + 100 * c.x + 1000 * e.x + 10000 * f.x + 1';
  return `WITH ${digits} SELECT ${i} AS i FROM d a, d b, d c, d e, d f WHERE ${i} <= ${n}`;
}
