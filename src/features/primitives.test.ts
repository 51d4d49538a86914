import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { CUTOFF, fixtureTables } from './feature.fixture.js';
import { expectedMatrix } from './feature-expected.fixture.js';
import {
  assertSameMatrix,
  buildFeatures,
  readMatrix,
  reviewedWorkspace,
  writeCsvFixture,
} from './feature-kit.fixture.js';

const W = ' WHERE events.at < cutoff';

test('every synthesized primitive equals independent plain SQL over the CSV files (depth 2, fixed cutoff)', async () => {
  await withTempDir('feat-prims', async (dir) => {
    await writeCsvFixture(join(dir, 'data'), fixtureTables());
    await reviewedWorkspace(dir, 'data');
    const record = await buildFeatures(dir, ['--cutoff-time', '2024-06-01']);
    const expected = await expectedMatrix(join(dir, 'data'), {
      cutoff: { kind: 'fixed', at: CUTOFF },
      windowDays: null,
    });

    // Exactly the features expected (none missing, none extra), and the matrix holds them all.
    assert.deepEqual(record.features.map((f) => f.name).sort(), [...expected.names].sort());
    const primitives = new Set(record.features.map((f) => f.primitive));
    for (const p of [
      'IDENTITY',
      'DIRECT',
      'FREQUENCY',
      'TEXT_LENGTH',
      'WORD_COUNT',
      'YEAR',
      'MONTH',
      'DAY',
      'HOUR',
      'DAY_OF_WEEK',
      'IS_WEEKEND',
      'TIME_SINCE',
      'RATIO',
      'COUNT',
      'SUM',
      'MEAN',
      'MIN',
      'MAX',
      'STD',
      'NUM_UNIQUE',
      'MODE',
      'PERCENT_TRUE',
      'TIME_SINCE_LAST',
      'TIME_SINCE_FIRST',
      'TREND',
    ]) {
      assert.ok(primitives.has(p), `primitive ${p} is exercised`);
    }
    assert.equal(record.matrix.rows, 24);
    const matrix = await readMatrix(dir, record);
    assert.deepEqual(
      matrix.map((r) => r.id),
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    assertSameMatrix(matrix, expected.rows, expected.names, 'DuckDB over CSV');
    // The target is carried beside the features, as it is.
    assert.deepEqual(
      matrix.map((r) => r.churned),
      matrix.map((r) => (r.id as number) % 3 === 0),
    );

    // Depth 1 is exactly the depth-2 set's features of depth 0 and 1, with the same values.
    const shallow = await buildFeatures(dir, ['--cutoff-time', '2024-06-01', '--depth', '1']);
    const wanted = record.features.filter((f) => f.depth <= 1).map((f) => f.name);
    assert.ok(wanted.length < record.features.length && wanted.length > 30);
    assert.deepEqual(
      shallow.features.map((f) => f.name),
      wanted,
    );
    assertSameMatrix(await readMatrix(dir, shallow), matrix, wanted, 'depth 1');

    // The edge cases, stated by hand so a shared mistake in the expectations cannot hide them.
    const at = (id: number, name: string) => matrix[id - 1]![name];
    const none = ['MEAN', 'MIN', 'MAX', 'STD', 'TREND'].map((op) => `${op}(events.amount${W})`);
    // 1: no events at all.
    assert.deepEqual(
      [
        at(1, `COUNT(events${W})`),
        at(1, `SUM(events.amount${W})`),
        at(1, `NUM_UNIQUE(events.kind${W})`),
        at(1, `SUM(events.COUNT(items)${W})`),
      ],
      [0, 0, 0, 0],
    );
    for (const n of [
      ...none,
      `MODE(events.kind${W})`,
      `PERCENT_TRUE(events.flag${W})`,
      `TIME_SINCE_LAST(events.at${W})`,
      `TIME_SINCE_FIRST(events.at${W})`,
      `MEAN(events.COUNT(items)${W})`,
    ]) {
      assert.equal(at(1, n), null, `account 1 (no events): ${n}`);
    }
    // 2: two events whose values are all NULL: counted, but nothing to aggregate.
    assert.equal(at(2, `COUNT(events${W})`), 2);
    assert.equal(at(2, `SUM(events.amount${W})`), 0);
    assert.equal(at(2, `NUM_UNIQUE(events.kind${W})`), 0);
    for (const n of [...none, `MODE(events.kind${W})`, `PERCENT_TRUE(events.flag${W})`])
      assert.equal(at(2, n), null, `account 2 (all NULL): ${n}`);
    // 3: one event before the cutoff (its second is after): no spread, no trend.
    assert.deepEqual(
      [
        at(3, `COUNT(events${W})`),
        at(3, `MEAN(events.amount${W})`),
        at(3, `STD(events.amount${W})`),
        at(3, `TREND(events.amount${W})`),
      ],
      [1, 5.5, null, null],
    );
    assert.equal(at(3, `PERCENT_TRUE(events.flag${W})`), 1);
    // 4: kinds B, a, B, a, c: the tie goes to the smaller value by code point.
    assert.equal(at(4, `MODE(events.kind${W})`), 'B');
    assert.equal(at(4, `NUM_UNIQUE(events.kind${W})`), 3);
    // RATIO by zero is NULL, not infinity; FREQUENCY counts every account in the denominator.
    assert.equal(at(4, 'RATIO(balance / num_b)'), null);
    assert.equal(at(4, 'RATIO(balance / num_a)'), 19);
    assert.equal(at(1, 'FREQUENCY(city)'), 2 / 24);
    assert.equal(at(11, 'FREQUENCY(city)'), null);
    // 'café  boats  walks': characters, not UTF-8 bytes (19); runs of spaces split words once.
    assert.equal(at(2, 'TEXT_LENGTH(bio)'), 18);
    assert.equal(at(2, 'WORD_COUNT(bio)'), 3);
  });
});
