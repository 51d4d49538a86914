import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Engine } from '../engine/engine.js';
import { openDuckDbEngine } from '../engine/duckdb/duckdb-engine.js';
import { openPostgresEngine } from '../engine/postgres/postgres-engine.js';
import { postgresTestUrl, POSTGRES_SKIP_REASON } from '../testing/postgres-url.js';
import type { SourceTable } from '../sources/source.js';
import { profileTable, type ColumnProfile } from './profile-table.js';

function tableOf(name: string, rows: number | null, schema?: string): SourceTable {
  return {
    name,
    source: 's',
    location: name,
    ref: schema === undefined ? { name } : { schema, name },
    fingerprint: 'f',
    rows,
    columns: [],
  };
}

const column = (cols: readonly ColumnProfile[], name: string): ColumnProfile => cols.find((c) => c.name === name)!;

test('DuckDB distinct counts are exact where an estimate would be wrong (2 values read as 1, 1,000 as 1,249)', async () => {
  const engine: Engine = await openDuckDbEngine();
  try {
    await engine.exec(`CREATE TABLE t AS SELECT range AS id, range % 1000 AS k,
      CASE WHEN range % 2 = 0 THEN '‘single’' ELSE '€uro – dash' END AS two FROM range(200000)`);
    const p = await profileTable(engine, tableOf('t', 200000));
    assert.equal(column(p.columns, 'id').stats.distinct, 200000);
    assert.equal(column(p.columns, 'k').stats.distinct, 1000);
    assert.equal(column(p.columns, 'two').stats.distinct, 2);
    assert.equal(column(p.columns, 'two').stats.distinctApproximate, false);
    // Row count unknown: the estimate is used, and says so.
    const unknown = await profileTable(engine, tableOf('t', null));
    assert.equal(column(unknown.columns, 'k').stats.distinctApproximate, true);
  } finally {
    await engine.close();
  }
});

const pgUrl = postgresTestUrl();

test(
  'Postgres types without MIN/MAX or equality (uuid, xml, json, point) are profiled through their text',
  { skip: pgUrl === undefined && POSTGRES_SKIP_REASON },
  async () => {
    const schema = `fathom_profile_${randomBytes(4).toString('hex')}`;
    const engine = await openPostgresEngine({ url: pgUrl! });
    try {
      await engine.exec(`CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.odd (u uuid, x xml, j json, p point, m money, i inet, b bytea, arr int[]);
      INSERT INTO ${schema}.odd VALUES
        ('00000000-0000-0000-0000-000000000001', '<a/>', '{"k": 1}', '(1,2)', 1.5, '10.0.0.1', '\\x01', '{1,2}'),
        ('00000000-0000-0000-0000-000000000002', '<b/>', '{"k": 2}', '(3,4)', 2.5, '10.0.0.2', '\\x02', '{3}'),
        ('00000000-0000-0000-0000-000000000002', NULL, NULL, NULL, NULL, NULL, NULL, NULL);`);
      const p = await profileTable(engine, tableOf('odd', 3, schema));
      assert.equal(p.rows, 3);
      const u = column(p.columns, 'u');
      assert.deepEqual(
        [u.stats.distinct, u.stats.min, u.stats.max],
        [2, '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'],
      );
      for (const name of ['x', 'j', 'p', 'm', 'i', 'b', 'arr']) {
        const c = column(p.columns, name);
        assert.deepEqual([c.name, c.stats.nulls, c.stats.distinct], [name, 1, 2]);
      }
    } finally {
      await engine.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await engine.close();
    }
  },
);

test('a wide DuckDB table counts distinct values in batches of columns, and keeps the estimate past the column limit', async () => {
  const engine: Engine = await openDuckDbEngine();
  try {
    // 10,000 exact COUNT(DISTINCT) in one DuckDB query ran out of memory (19 GB).
    const cols = (n: number) => Array.from({ length: n }, (_, i) => `range % ${(i % 7) + 1} AS c${i}`).join(', ');
    await engine.exec(`CREATE TABLE w AS SELECT ${cols(300)} FROM range(100)`);
    const p = await profileTable(engine, tableOf('w', 100));
    assert.deepEqual(
      p.columns.filter((c, i) => c.stats.distinct !== (i % 7) + 1 || c.stats.distinctApproximate),
      [],
    );
    await engine.exec(`CREATE TABLE wider AS SELECT ${cols(600)} FROM range(10)`);
    const q = await profileTable(engine, tableOf('wider', 10));
    assert.equal(q.columns.length, 600);
    assert.ok(q.columns.every((c) => c.stats.distinctApproximate));
  } finally {
    await engine.close();
  }
});
