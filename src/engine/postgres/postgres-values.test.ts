/** Postgres types beyond the shared fixture: arrays, JSON, numeric, enums, infinities. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../../testing/postgres-url.js';
import { openPostgresEngine } from './postgres-engine.js';

const url = postgresTestUrl();
const skip = url === undefined ? POSTGRES_SKIP_REASON : false;

test('Postgres arrays, JSON, numeric and special timestamps follow the contract', { skip }, async () => {
  const engine = await openPostgresEngine({ url: url ?? '' });
  try {
    const { rows, columns } = await engine.query(`SELECT ARRAY[1, 9007199254740993]::int8[] AS big_arr,
      ARRAY['2024-01-02'::date] AS dates, ARRAY['2024-01-02 03:04:05+02'::timestamptz] AS tzs,
      ARRAY[1.5, 2]::numeric[] AS nums, '{"j": [1, 2]}'::jsonb AS jb, '{"j":1}'::json AS js,
      12345678901234567890::numeric AS num_int, 1.25::numeric AS num_frac, 'NaN'::numeric AS num_nan,
      'infinity'::timestamp AS inf, '2024-01-02 03:04:05.678901'::timestamp AS ts,
      '2024-01-02 03:04:05-08'::timestamptz AS tz, '01:02:03.5'::time AS t, interval '1 day 2 hours' AS iv,
      '\\x0102'::bytea AS b, '00000000-0000-0000-0000-000000000001'::uuid AS u, point(1, 2) AS p`);
    assert.deepEqual(rows, [
      {
        big_arr: '[1,"9007199254740993"]',
        dates: '["2024-01-02"]',
        tzs: '["2024-01-02T01:04:05.000Z"]',
        nums: '[1.5,2]',
        jb: '{"j": [1, 2]}',
        js: '{"j":1}',
        num_int: '12345678901234567890',
        num_frac: 1.25,
        num_nan: Number.NaN,
        inf: 'infinity',
        ts: '2024-01-02T03:04:05.678Z',
        tz: '2024-01-02T11:04:05.000Z',
        t: '01:02:03.5',
        iv: '1 day 02:00:00',
        b: new Uint8Array([1, 2]),
        u: '00000000-0000-0000-0000-000000000001',
        p: '{"x":1,"y":2}',
      },
    ]);
    assert.deepEqual(
      columns.slice(0, 3).map((c) => c.physicalType),
      ['bigint[]', 'date[]', 'timestamp with time zone[]'],
    );
    assert.equal(columns.find((c) => c.name === 'p')?.physicalType, 'point');
  } finally {
    await engine.close();
  }
});

test('Postgres describe types enums as strings and domains by their base type', { skip }, async () => {
  const admin = await openPostgresEngine({ url: url ?? '' });
  const schema = `fathom_values_${randomBytes(6).toString('hex')}`;
  await admin.exec(`CREATE SCHEMA ${schema}`);
  try {
    const engine = await openPostgresEngine({ url: url ?? '', schema });
    try {
      await engine.exec(`CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
        CREATE TABLE typed (m mood, p posint NOT NULL, tags text[])`);
      const columns = await engine.describe({ name: 'typed' });
      assert.deepEqual(columns, [
        { name: 'm', physicalType: 'mood', logicalType: 'string', nullable: true },
        { name: 'p', physicalType: 'posint', logicalType: 'integer', nullable: false },
        { name: 'tags', physicalType: 'text[]', logicalType: 'json', nullable: true },
      ]);
      await engine.query('INSERT INTO typed VALUES ($1, $2, $3)', ['ok', 3, null]);
      const { rows, columns: resultColumns } = await engine.query('SELECT m FROM typed');
      assert.deepEqual(rows, [{ m: 'ok' }]);
      assert.equal(resultColumns[0]?.physicalType, 'mood');
    } finally {
      await engine.close();
    }
  } finally {
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  }
});
