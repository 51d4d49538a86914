/** SQLite behaviour beyond the shared suite: declared-type conversion, files, the busy rule. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FathomError } from '../../util/fathom-error.js';
import { quantileCont } from './sqlite-functions.js';
import { openSqliteEngine } from './sqlite-engine.js';

test('SQLite converts by declared type: timestamp text to ISO, booleans, untyped expressions raw', async () => {
  const engine = await openSqliteEngine();
  try {
    await engine.exec(`CREATE TABLE t (ts DATETIME, flag BOOL, n NUMERIC, raw);
      INSERT INTO t VALUES ('2024-01-02 03:04:05', 1, 7, '2024-01-02 03:04:05'), ('garbage', 0, 1.5, 1)`);
    const { rows } = await engine.query(
      'SELECT ts, flag, n, raw, ts AS aliased, flag + 0 AS expr FROM t ORDER BY rowid',
    );
    assert.deepEqual(rows, [
      {
        ts: '2024-01-02T03:04:05.000Z',
        flag: true,
        n: 7,
        raw: '2024-01-02 03:04:05',
        aliased: '2024-01-02T03:04:05.000Z',
        expr: 1,
      },
      { ts: 'garbage', flag: false, n: 1.5, raw: 1, aliased: 'garbage', expr: 0 },
    ]);
  } finally {
    await engine.close();
  }
});

test('SQLite file databases reopen read-only; a missing file is not created read-only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-sqlite-'));
  try {
    const path = join(dir, 'data.sqlite');
    const writer = await openSqliteEngine({ path });
    await writer.exec('CREATE TABLE kept (x INTEGER); INSERT INTO kept VALUES (7)');
    await writer.close();
    const reader = await openSqliteEngine({ path, readOnly: true });
    try {
      assert.deepEqual((await reader.query('SELECT x FROM kept')).rows, [{ x: 7 }]);
      await assert.rejects(
        reader.exec('INSERT INTO kept VALUES (8)'),
        (e: unknown) => e instanceof FathomError && /readonly/i.test(e.message),
      );
    } finally {
      await reader.close();
    }
    await assert.rejects(
      openSqliteEngine({ path: join(dir, 'missing.sqlite'), readOnly: true }),
      (e: unknown) => e instanceof FathomError && /missing\.sqlite/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite refuses a write while a stream is open, as a FathomError, and accepts it after', async () => {
  const engine = await openSqliteEngine();
  try {
    await engine.exec('CREATE TABLE s (x INTEGER); INSERT INTO s VALUES (1), (2), (3)');
    for await (const batch of engine.stream('SELECT x FROM s', [], 1)) {
      assert.equal(batch.length, 1);
      await assert.rejects(
        engine.exec('INSERT INTO s VALUES (4)'),
        (e: unknown) => e instanceof FathomError && /busy/.test(e.message),
      );
      break;
    }
    await engine.exec('INSERT INTO s VALUES (4)');
    assert.deepEqual((await engine.query('SELECT COUNT(*) AS n FROM s')).rows, [{ n: 4 }]);
  } finally {
    await engine.close();
  }
});

test('SQLite regexp reports a bad pattern as a query failure', async () => {
  const engine = await openSqliteEngine();
  try {
    await assert.rejects(
      engine.query(`SELECT ${engine.dialect.regexMatch("'a'", '(')} AS m`),
      (e: unknown) => e instanceof FathomError && e.kind === 'failed' && /regular expression/i.test(e.message),
    );
  } finally {
    await engine.close();
  }
});

test('quantileCont interpolates linearly between closest ranks', () => {
  assert.equal(quantileCont([], 0.5), null);
  assert.equal(quantileCont([5], 0.9), 5);
  assert.equal(quantileCont([4, 1, 3, 2], 0.5), 2.5);
  assert.equal(quantileCont([10, 20], 0.25), 12.5);
  assert.equal(quantileCont([3, 1, 2], 1), 3);
});
