import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDuckDbEngine } from './duckdb/duckdb-engine.js';
import { openSqliteEngine } from './sqlite/sqlite-engine.js';
import { readColumns } from './read-columns.js';

test('readColumns gives Float64Array (NaN for NULL) for numbers and values otherwise, on DuckDB and SQLite', async () => {
  for (const open of [() => openDuckDbEngine(), () => openSqliteEngine()]) {
    const engine = await open();
    try {
      const sql = `SELECT CAST(1.5 AS DOUBLE PRECISION) AS "a b", 'x' AS cat, 1 AS mixed, 0 AS k
        UNION ALL SELECT NULL, 'y', 2, 1 UNION ALL SELECT -2, NULL, NULL, 2 ORDER BY k`;
      const cols = await readColumns(engine, sql);
      assert.equal(cols.rows, 3);
      const [a, cat] = cols.columns;
      assert.equal(a?.kind, 'number');
      assert.ok(a?.data instanceof Float64Array);
      assert.deepEqual(Array.from(a.data as Float64Array), [1.5, Number.NaN, -2]);
      assert.deepEqual(cat, { name: 'cat', kind: 'values', data: ['x', 'y', null] });
      assert.equal(cols.columns[2]?.kind, 'number');
    } finally {
      await engine.close();
    }
  }
});

test('readColumns switches a column to values when a string follows numbers, keeping earlier NULLs', async () => {
  // SQLite is dynamically typed: one column can hold numbers, NULLs and then text.
  const engine = await openSqliteEngine();
  try {
    await engine.exec('CREATE TABLE t (k INTEGER, v)');
    await engine.exec(`WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 2999)
      INSERT INTO t SELECT i, CASE WHEN i % 2 = 0 THEN NULL ELSE i * 1.5 END FROM r`);
    await engine.exec(`INSERT INTO t VALUES (3000, 'text')`);
    const cols = await readColumns(engine, 'SELECT v, k FROM t ORDER BY k');
    assert.equal(cols.rows, 3001);
    const [v, k] = cols.columns;
    assert.equal(v?.kind, 'values');
    const values = v!.data as unknown[];
    assert.deepEqual([values[0], values[1], values[2999], values[3000]], [null, 1.5, 2999 * 1.5, 'text']);
    assert.equal(k?.kind, 'number', 'a column past the first 1024 rows grows its typed array');
    assert.equal((k!.data as Float64Array)[3000], 3000);
  } finally {
    await engine.close();
  }
});
