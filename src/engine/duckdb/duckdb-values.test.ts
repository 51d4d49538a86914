/** DuckDB types beyond the shared fixture: nested, huge, other timestamp units, infinities. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FathomError } from '../../util/fathom-error.js';
import { openDuckDbEngine } from './duckdb-engine.js';

test('DuckDB nested values become JSON text with normalised leaves', async () => {
  const engine = await openDuckDbEngine();
  try {
    const { rows } =
      await engine.query(`SELECT [1, 2, NULL] AS l, {'a': 1, 'b': 'x'} AS s, MAP {'k': DATE '2024-01-02'} AS m,
      [9007199254740993::BIGINT] AS big, [TIMESTAMP '2024-01-02 03:04:05'] AS ts, '{"j": 1}'::JSON AS j`);
    assert.deepEqual(rows, [
      {
        l: '[1,2,null]',
        s: '{"a":1,"b":"x"}',
        m: '[{"key":"k","value":"2024-01-02"}]',
        big: '["9007199254740993"]',
        ts: '["2024-01-02T03:04:05.000Z"]',
        j: '{"j": 1}',
      },
    ]);
  } finally {
    await engine.close();
  }
});

test('DuckDB huge integers, integral decimals, timestamp units and infinities follow the contract', async () => {
  const engine = await openDuckDbEngine();
  try {
    const { rows } = await engine.query(`SELECT 170141183460469231731687303715884105727::HUGEINT AS huge,
      12345678901234567890::DECIMAL(38,0) AS dec0, 1.25::DECIMAL(38,10) AS dec10, 18446744073709551615::UBIGINT AS ubig,
      TIMESTAMP_S '2024-01-02 03:04:05' AS ts_s, TIMESTAMP_MS '2024-01-02 03:04:05.678' AS ts_ms,
      TIMESTAMP_NS '2024-01-02 03:04:05.678901234' AS ts_ns, TIMESTAMPTZ '2024-01-02 03:04:05+02' AS tz,
      'infinity'::TIMESTAMP AS inf, '-infinity'::TIMESTAMP AS neg_inf, TIME '01:02:03.5' AS t,
      INTERVAL 2 HOURS AS iv, 'abc'::BLOB AS b, uuid '00000000-0000-0000-0000-000000000001' AS u`);
    assert.deepEqual(rows, [
      {
        huge: '170141183460469231731687303715884105727',
        dec0: '12345678901234567890',
        dec10: 1.25,
        ubig: '18446744073709551615',
        ts_s: '2024-01-02T03:04:05.000Z',
        ts_ms: '2024-01-02T03:04:05.678Z',
        ts_ns: '2024-01-02T03:04:05.678Z',
        tz: '2024-01-02T01:04:05.000Z',
        inf: 'infinity',
        neg_inf: '-infinity',
        t: '01:02:03.5',
        iv: '02:00:00',
        b: new Uint8Array([97, 98, 99]),
        u: '00000000-0000-0000-0000-000000000001',
      },
    ]);
  } finally {
    await engine.close();
  }
});

test('DuckDB options: a file database reopens read-only with its data, threads and memory applied', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-duckdb-'));
  const path = join(dir, 'data.duckdb');
  try {
    const spill = join(dir, 'spill');
    const writer = await openDuckDbEngine({ path, threads: 2, memoryLimit: '512MB', tempDirectory: spill });
    const settings = await writer.query(
      "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS mem, current_setting('temp_directory') AS tmp",
    );
    assert.equal(settings.rows[0]?.['threads'], 2);
    assert.equal(settings.rows[0]?.['tmp'], spill);
    assert.match(String(settings.rows[0]?.['mem']), /^(488\.2 MiB|512\.0 MB)$/);
    await writer.exec('CREATE TABLE kept (x INTEGER); INSERT INTO kept VALUES (7)');
    await writer.close();
    const reader = await openDuckDbEngine({ path, readOnly: true });
    try {
      assert.deepEqual((await reader.query('SELECT x FROM kept')).rows, [{ x: 7 }]);
      await assert.rejects(reader.exec('INSERT INTO kept VALUES (8)'), FathomError);
    } finally {
      await reader.close();
    }
    await assert.rejects(
      openDuckDbEngine({ path: join(dir, 'missing', 'x.duckdb') }),
      (e: unknown) => e instanceof FathomError && /Could not open the DuckDB database/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
