/**
 * The fragments feature synthesis builds on (epochSeconds, datePart, wordCount, stddevSamp,
 * regrSlope), run on every engine and checked against the same answer computed in JS, so a
 * feature means the same on DuckDB, Postgres and SQLite.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DatePart, Engine, SqlValue } from './engine.js';
import { FIXTURE_TYPES } from './engine-conformance.fixture.js';

type WithEngine = (work: (engine: Engine) => Promise<void>) => Promise<void>;

/**
 * Instants as JS reads them, and how each is stored: ISO text with a trailing Z, text without
 * a zone (SQLite keeps both as text), text with an offset, or a bound Date.
 */
interface TimeCase {
  readonly date1: string | null;
  readonly ts1: string | null;
  readonly tstz1: string | null;
  readonly store: (iso: string) => string | Date;
  /** Stored instead of `store(tstz1)`: the same instant written with a UTC offset. */
  readonly tstzText?: string;
}
const withZ = (iso: string): string => iso;
const noZone = (iso: string): string => iso.replace('T', ' ').replace(/Z$/, '');
const asDate = (iso: string): Date => new Date(iso);

const TIME_CASES: readonly TimeCase[] = [
  { date1: '2024-02-29', ts1: '2024-02-29T23:59:59.123Z', tstz1: '2024-06-30T23:00:00.500Z', store: noZone },
  { date1: '1969-07-20', ts1: '1969-07-20T20:17:40.999Z', tstz1: '1900-01-01T00:00:00.001Z', store: withZ },
  { date1: '2000-01-01', ts1: '1969-12-31T23:59:59.999Z', tstz1: '2023-12-31T23:30:00.000Z', store: asDate },
  {
    date1: '1600-03-01',
    ts1: '1600-02-29T12:00:00.000Z',
    tstz1: '2024-03-10T06:30:00.250Z',
    store: noZone,
    tstzText: '2024-03-10T01:30:00.250-05:00',
  },
  { date1: null, ts1: null, tstz1: null, store: withZ },
];
const TIME_COLUMNS = ['date1', 'ts1', 'tstz1'] as const;
const PARTS: readonly DatePart[] = ['year', 'month', 'day', 'hour', 'dow'];

function jsPart(part: DatePart, date: Date): number {
  switch (part) {
    case 'year':
      return date.getUTCFullYear();
    case 'month':
      return date.getUTCMonth() + 1;
    case 'day':
      return date.getUTCDate();
    case 'hour':
      return date.getUTCHours();
    case 'dow':
      return date.getUTCDay();
  }
}

async function createTimes(engine: Engine, name: string): Promise<string> {
  const d = engine.dialect;
  const types = FIXTURE_TYPES[d.name];
  const table = d.quoteIdent(name);
  await engine.exec(`CREATE TABLE ${table} (id INTEGER, ${TIME_COLUMNS.map((c) => `${c} ${types[c]}`).join(', ')})`);
  for (const [i, c] of TIME_CASES.entries()) {
    const tstz = c.tstzText ?? (c.tstz1 === null ? null : c.store(c.tstz1));
    await engine.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4)`, [
      i + 1,
      c.date1,
      c.ts1 === null ? null : c.store(c.ts1),
      tstz,
    ]);
  }
  return table;
}

/** Reference statistics, two-pass in JS: null below two values, 0 when they are all equal. */
function jsStddev(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length < 2) return null;
  if (xs.every((x) => x === xs[0])) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
}

function jsSlope(pairs: readonly (readonly [number | null, number | null])[]): number | null {
  const xy = pairs.filter((p): p is [number, number] => p[0] !== null && p[1] !== null);
  if (xy.length < 2 || xy.every(([x]) => x === xy[0]?.[0])) return null;
  const mx = xy.reduce((a, [x]) => a + x, 0) / xy.length;
  const my = xy.reduce((a, [, y]) => a + y, 0) / xy.length;
  const sxy = xy.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  return sxy / xy.reduce((a, [x]) => a + (x - mx) ** 2, 0);
}

/** Groups of (x, y): NULLs, one row, constant x, large values with a small spread. */
const AGG_GROUPS: ReadonlyArray<ReadonlyArray<readonly [number | null, number | null]>> = [
  [
    [1, 2],
    [2, 4.5],
    [3, null],
    [null, 7],
    [4, 8.25],
    [5.5, 9],
  ],
  [[1.5, 3]],
  [0, 1, 2, 3, 4, 5, 6].map((i) => [0.1, i * 1.5] as const),
  // Around 1e9 a naive sum of squares is off by ~6e-6; Welford and Youngs-Cramer by ~4e-12.
  (
    [
      [125, 33],
      [2502.5, 5000],
      [7311, 12009],
      [10000, 20005],
      [4807, 9900],
      [null, 7],
      [777, null],
    ] as const
  ).map(([dx, dy]) => [dx === null ? null : 1e9 + dx, dy === null ? null : 2e9 - dy] as const),
  [
    [null, null],
    [null, 1],
  ],
  [
    [1, 5],
    [3, 5],
    [8, 5],
  ],
  [
    [1e9 + 0.1, 1],
    [1e9 + 0.1, 2],
    [1e9 + 0.1, 4],
  ],
];

function closeTo(actual: SqlValue | undefined, expected: number | null, what: string): void {
  if (expected === null || expected === 0) {
    // === rather than Object.is: an engine may well answer -0 for a zero slope.
    assert.ok(actual === expected, `${what}: ${String(actual)} vs JS ${String(expected)}`);
    return;
  }
  assert.equal(typeof actual, 'number', `${what}: ${String(actual)}`);
  const rel = Math.abs((actual as number) - expected) / Math.abs(expected);
  assert.ok(rel <= 1e-9, `${what}: ${String(actual)} vs JS ${expected} (relative ${rel})`);
}

export function featureSqlConformance(withEngine: WithEngine): void {
  it('epochSeconds of dates and timestamps equals Date.parse / 1000; null and infinity give null', () =>
    withEngine(async (engine) => {
      const d = engine.dialect;
      const table = await createTimes(engine, 'feat_epoch');
      const cols = TIME_COLUMNS.map((c) => `${d.epochSeconds(d.quoteIdent(c))} AS ${c}`).join(', ');
      const { rows } = await engine.query(`SELECT ${cols} FROM ${table} ORDER BY id`);
      const expected = TIME_CASES.map((c) =>
        Object.fromEntries(TIME_COLUMNS.map((col) => [col, c[col] === null ? null : Date.parse(c[col]) / 1000])),
      );
      assert.deepEqual(rows, expected);
      assert.ok((rows[1]?.['date1'] as number) < 0, 'a date before 1970 is negative');
      for (const c of TIME_CASES)
        if (c.tstzText !== undefined) assert.equal(Date.parse(c.tstzText), Date.parse(c.tstz1 ?? ''));
    }));

  it('datePart year, month, day, hour and dow (0 = Sunday) equal JS getUTC*', () =>
    withEngine(async (engine) => {
      const d = engine.dialect;
      const table = await createTimes(engine, 'feat_parts');
      const cols = TIME_COLUMNS.flatMap((c) => PARTS.map((p) => `${d.datePart(p, d.quoteIdent(c))} AS ${c}_${p}`));
      const { rows } = await engine.query(`SELECT ${cols.join(', ')} FROM ${table} ORDER BY id`);
      const expected = TIME_CASES.map((c) =>
        Object.fromEntries(
          TIME_COLUMNS.flatMap((col) => {
            const iso = c[col];
            return PARTS.map((p) => [`${col}_${p}`, iso === null ? null : jsPart(p, new Date(iso))]);
          }),
        ),
      );
      assert.deepEqual(rows, expected);
    }));

  it('treats infinite dates and timestamps as null in epochSeconds and datePart', () =>
    withEngine(async (engine) => {
      const d = engine.dialect;
      // SQLite has no infinite timestamps: its 'infinity' text is simply not a date.
      const table = d.quoteIdent('feat_infinite');
      const types = FIXTURE_TYPES[d.name];
      await engine.exec(`CREATE TABLE ${table} (${TIME_COLUMNS.map((c) => `${c} ${types[c]}`).join(', ')})`);
      await engine.query(`INSERT INTO ${table} VALUES ($1, $2, $3), ($4, $5, $6)`, [
        'infinity',
        'infinity',
        '-infinity',
        '-infinity',
        '-infinity',
        'infinity',
      ]);
      const cols = TIME_COLUMNS.flatMap((c) => [
        `${d.epochSeconds(d.quoteIdent(c))} AS e_${c}`,
        `${d.datePart('year', d.quoteIdent(c))} AS y_${c}`,
      ]);
      const { rows } = await engine.query(`SELECT ${cols.join(', ')} FROM ${table}`);
      assert.equal(rows.length, 2);
      for (const row of rows)
        assert.ok(
          Object.values(row).every((v) => v === null),
          JSON.stringify(row),
        );
    }));

  it('wordCount counts runs of non-whitespace as JS /\\S+/u does, unicode included', () =>
    withEngine(async (engine) => {
      const d = engine.dialect;
      const texts = [
        'a b',
        '  a\t b\nc  ',
        '',
        '   ',
        null,
        'naïve café ✓ 日本語',
        'a\u00a0b\u3000c\u2003d',
        'x\u000by\u000cz\r\nw',
        'a\ufeffb\u202fc\u2028d',
        'zero\u200bwidth joiner',
        'emoji 👍🏽 ok',
        'one',
      ];
      const table = d.quoteIdent('feat_words');
      await engine.exec(`CREATE TABLE ${table} (id INTEGER, cat1 ${FIXTURE_TYPES[d.name].cat1})`);
      for (const [i, t] of texts.entries()) await engine.query(`INSERT INTO ${table} VALUES ($1, $2)`, [i, t]);
      const { rows } = await engine.query(`SELECT ${d.wordCount(d.quoteIdent('cat1'))} AS n FROM ${table} ORDER BY id`);
      const expected = texts.map((t) => (t === null ? null : (t.match(/\S+/gu) ?? []).length));
      assert.deepEqual(
        rows.map((r) => r['n']),
        expected,
      );
      assert.deepEqual(expected.slice(0, 5), [2, 3, 0, 0, null]);
    }));

  it('stddevSamp and regrSlope agree with JS to 1e-9: NULLs, one row, constant x, 1e9 + small spread', () =>
    withEngine(async (engine) => {
      const d = engine.dialect;
      const num = FIXTURE_TYPES[d.name].num1;
      const table = d.quoteIdent('feat_stats');
      const [x, y] = [d.quoteIdent('x'), d.quoteIdent('y')];
      await engine.exec(`CREATE TABLE ${table} (g INTEGER, x ${num}, y ${num})`);
      for (const [g, pairs] of AGG_GROUPS.entries()) {
        for (const [x, y] of pairs) await engine.query(`INSERT INTO ${table} VALUES ($1, $2, $3)`, [g, x, y]);
      }
      const { rows } = await engine.query(
        `SELECT g, ${d.stddevSamp(x)} AS sx, ${d.stddevSamp(y)} AS sy, ${d.regrSlope(y, x)} AS slope ` +
          `FROM ${table} GROUP BY g ORDER BY g`,
      );
      assert.equal(rows.length, AGG_GROUPS.length);
      for (const [g, pairs] of AGG_GROUPS.entries()) {
        const row = rows[g];
        assert.equal(row?.['g'], g);
        closeTo(row?.['sx'], jsStddev(pairs.map((p) => p[0])), `group ${g} stddevSamp(x)`);
        closeTo(row?.['sy'], jsStddev(pairs.map((p) => p[1])), `group ${g} stddevSamp(y)`);
        closeTo(row?.['slope'], jsSlope(pairs), `group ${g} regrSlope(y, x)`);
      }
    }));
}
