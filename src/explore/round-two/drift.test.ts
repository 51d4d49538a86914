import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openEngine } from '../../engine/open-engine.js';
import { PSI_FLAG, psiOf, tableDrift, windowCount } from './drift.js';

test('PSI is 0 for equal distributions and grows with the shift', () => {
  assert.equal(psiOf([10, 20, 30], [20, 40, 60]), 0);
  const slight = psiOf([50, 50], [55, 45]);
  const big = psiOf([50, 50], [90, 10]);
  assert.ok(slight > 0 && slight < 0.1, `${slight}`);
  assert.ok(big > PSI_FLAG, `${big}`);
  assert.ok(Number.isFinite(psiOf([100, 0], [0, 100])), 'an empty bin is floored, not infinite');
  assert.equal(windowCount(100), 0);
  assert.equal(windowCount(1000), 4);
  assert.equal(windowCount(1_000_000), 10);
});

test('drift over the time index flags the columns that shift and only those, with the target rate per window', async () => {
  const engine = await openEngine({ kind: 'duckdb' });
  try {
    // 4000 hourly rows; from row 2000 on, num_shift moves up by 50 and cat_shift becomes all "b".
    await engine.exec(`CREATE TABLE events AS SELECT
        TIMESTAMP '2024-01-01' + i * INTERVAL 1 HOUR AS ts1,
        CASE WHEN i >= 2000 THEN (i % 100) + 50 ELSE i % 100 END AS num_shift,
        (i * 37) % 101 AS num_steady,
        CASE WHEN i >= 2000 THEN 'b' WHEN i % 2 = 0 THEN 'a' ELSE 'b' END AS cat_shift,
        CASE WHEN i % 3 = 0 THEN 'x' ELSE 'y' END AS cat_steady,
        CASE WHEN i >= 3000 THEN (i % 2 = 0) ELSE (i % 10 = 0) END AS label
      FROM range(4000) r(i)`);
    const d = await tableDrift(
      engine,
      '"events"',
      { source: 's', table: 'events' },
      'ts1',
      4000,
      [
        { name: 'num_shift', kind: 'numeric', edges: [1, 5, 25, 50, 75, 95, 99] },
        { name: 'num_steady', kind: 'numeric', edges: [1, 5, 25, 50, 75, 95, 99] },
        { name: 'cat_shift', kind: 'categorical', levels: ['a', 'b'] },
        { name: 'cat_steady', kind: 'categorical', levels: ['y', 'x'] },
      ],
      { column: 'label', kind: 'binary', positive: 'true' },
    );
    assert.ok(d);
    assert.equal(d.windows.length, 8);
    assert.deepEqual(
      d.windows.map((w) => w.rows),
      Array(8).fill(500),
    );
    assert.equal(d.windows[0]!.from, '2024-01-01T00:00:00.000Z');
    const flagged = Object.fromEntries(d.columns.map((c) => [c.column, c.flagged]));
    assert.deepEqual(flagged, { num_shift: true, num_steady: false, cat_shift: true, cat_steady: false });
    const shift = d.columns.find((c) => c.column === 'num_shift')!;
    assert.equal(shift.psi[0], 0);
    assert.ok(shift.psi[1]! < PSI_FLAG && shift.psi[7]! > PSI_FLAG, `${shift.psi}`);
    assert.deepEqual(
      d.windows.map((w) => w.targetRate),
      [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.5, 0.5],
    );
  } finally {
    await engine.close();
  }
});
