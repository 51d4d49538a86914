import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runFathom } from '../testing/run-cli.js';
import { withTempDir } from '../testing/temp-dir.js';
import { openDuckDbEngine } from '../engine/duckdb/duckdb-engine.js';

test('SQLite and DuckDB files are connected and explored in their own engines, hostile names included', async () => {
  await withTempDir('cli-db', async (dir) => {
    const sqlite = new Database(join(dir, 'crm.db'));
    sqlite.exec(`CREATE TABLE "my ""odd"" table" ("select" INTEGER, "naïve name" TEXT, amount REAL);
      INSERT INTO "my ""odd"" table" VALUES (1, 'a', 1.5), (2, NULL, 2.5), (3, 'c', NULL);`);
    sqlite.close();
    const duck = await openDuckDbEngine({ path: join(dir, 'wh.duckdb') });
    await duck.exec(
      `CREATE TABLE sales AS SELECT range AS id, range % 7 AS store, DATE '2024-01-01' + CAST(range AS INTEGER) AS day FROM range(500)`,
    );
    await duck.close();

    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    const a = await runFathom(['connect', 'crm', 'crm.db', '--json'], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.json().source.kind, 'sqlite');
    const b = await runFathom(['connect', 'wh', 'wh.duckdb', '--json'], { cwd: dir });
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.json().source.kind, 'duckdb');

    const run = await runFathom(['explore', '--json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const profiles = run.json().profiles;
    const odd = profiles.find((p: { source: string }) => p.source === 'crm');
    assert.equal(odd.table, 'my "odd" table');
    assert.equal(odd.rows, 3);
    assert.deepEqual(
      odd.columns.map((c: { name: string; stats: { nulls: number } }) => [c.name, c.stats.nulls]),
      [
        ['select', 0],
        ['naïve name', 1],
        ['amount', 1],
      ],
    );
    assert.equal(odd.columns[2].stats.mean, 2);
    const sales = profiles.find((p: { source: string }) => p.source === 'wh');
    assert.equal(sales.rows, 500);
    assert.equal(sales.columns.find((c: { name: string }) => c.name === 'store').stats.distinct, 7);
    assert.equal(sales.columns.find((c: { name: string }) => c.name === 'day').stats.max, '2025-05-14');
  });
});
