/** "Test SQL twice": each dialect fragment's exact text, then the same fragment run for real. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Engine } from './engine.js';
import { countingSql } from './engine-conformance.fixture.js';
import { EXPECTED_FRAGMENTS } from './engine-conformance-sql.js';

type WithEngine = (work: (engine: Engine) => Promise<void>) => Promise<void>;

const ROWS: ReadonlyArray<[number, number | null, string | null]> = [
  [1, 1, 'abc'],
  [2, 2, 'abcd'],
  [3, 3, 'xabc'],
  [4, 4, 'b'],
  [5, 5, 'abc'],
  [6, null, null],
];

async function createFrag(engine: Engine, name: string): Promise<string> {
  const table = engine.dialect.quoteIdent(name);
  await engine.exec(`CREATE TABLE ${table} (id INTEGER, num1 DOUBLE PRECISION, cat1 VARCHAR(20))`);
  for (const row of ROWS) await engine.query(`INSERT INTO ${table} VALUES ($1, $2, $3)`, row);
  return table;
}

export function fragmentConformance(withEngine: WithEngine): void {
  it('generates the exact fragment SQL for its dialect', () =>
    withEngine(async (engine) => {
      const d = engine.dialect;
      const expected = EXPECTED_FRAGMENTS[d.name];
      assert.equal(d.quantile('"num1"', 0.25), expected.quantile);
      assert.equal(d.approxDistinct('"cat1"'), expected.approxDistinct);
      assert.equal(d.regexMatch('"cat1"', '[a-c]+'), expected.regexMatch);
      assert.equal(d.sample(d.quoteTable({ name: 'frag' }), 3, 42), expected.sample);
      assert.equal(d.castText('"id"'), expected.castText);
      assert.equal(d.epochSeconds('"ts1"'), expected.epochSeconds);
      assert.equal(d.datePart('dow', '"ts1"'), expected.datePart);
      assert.equal(d.wordCount('"cat1"'), expected.wordCount);
      assert.equal(d.stddevSamp('"num1"'), expected.stddevSamp);
      assert.equal(d.regrSlope('"num1"', '"int1"'), expected.regrSlope);
      assert.throws(() => d.quantile('"num1"', 1.5), /between 0 and 1/);
      assert.throws(() => d.sample('"frag"', -1, 42), /non-negative integer/);
    }));

  it('runs quantile, approxDistinct, regexMatch and castText for real', () =>
    withEngine(async (engine) => {
      const d = engine.dialect;
      const frag = await createFrag(engine, 'frag_run');
      const { rows } = await engine.query(
        `SELECT ${d.quantile('num1', 0.25)} AS q1, ${d.quantile('num1', 0.5)} AS median, ` +
          `${d.approxDistinct('cat1')} AS distinct_cats, ` +
          `SUM(CASE WHEN ${d.regexMatch('cat1', '[a-c]+')} THEN 1 ELSE 0 END) AS full_matches, ` +
          `MAX(${d.castText('id')}) AS max_id_text FROM ${frag}`,
      );
      assert.deepEqual(rows, [{ q1: 2, median: 3, distinct_cats: 4, full_matches: 3, max_id_text: '6' }]);
    }));

  it('interpolates quantiles between values', () =>
    withEngine(async (engine) => {
      const frag = await createFrag(engine, 'frag_interpolate');
      const { rows } = await engine.query(
        `SELECT ${engine.dialect.quantile('num1', 0.1)} AS q FROM ${frag} WHERE id <= 2`,
      );
      assert.equal(Math.round((rows[0]?.['q'] as number) * 1e9) / 1e9, 1.1);
    }));

  it('samples at most n rows, repeatably for a given seed', () =>
    withEngine(async (engine) => {
      const d = engine.dialect;
      const frag = await createFrag(engine, 'frag_sample');
      const ids = async (n: number, seed: number): Promise<number[]> =>
        (await engine.query(d.sample(frag, n, seed))).rows.map((r) => r['id'] as number).sort((a, b) => a - b);
      const first = await ids(3, 42);
      assert.equal(first.length, 3);
      assert.equal(new Set(first).size, 3);
      assert.ok(first.every((id) => id >= 1 && id <= 6));
      assert.deepEqual(await ids(3, 42), first);
      assert.deepEqual(await ids(10, 7), [1, 2, 3, 4, 5, 6]);
      const { rows } = await engine.query(d.sample(frag, 2, 1));
      assert.deepEqual(Object.keys(rows[0] ?? {}), ['id', 'num1', 'cat1'], 'sample must not add columns');
      const sub = await engine.query(d.sample(`(SELECT id FROM ${frag} WHERE id > 2)`, 10, 1));
      assert.deepEqual(sub.rows.map((r) => r['id']).sort(), [3, 4, 5, 6]);
    }));

  it('samples from the whole table, not just its first rows', () =>
    withEngine(async (engine) => {
      await engine.exec(`CREATE TABLE sample_spread AS ${countingSql(50_000)}`);
      const table = engine.dialect.quoteTable({ name: 'sample_spread' });
      let max = 0;
      for (const seed of [1, 2, 3]) {
        const { rows } = await engine.query(engine.dialect.sample(table, 5, seed));
        for (const row of rows) max = Math.max(max, row['i'] as number);
      }
      // Uniform draws put none of 15 rows in the second half with probability 2^-15.
      assert.ok(max > 25_000, `all 15 sampled rows came from the first half (max ${max})`);
    }));
}
