import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { CUTOFF, WINDOW_DAYS, fixtureTables } from './feature.fixture.js';
import { expectedMatrix, type ExpectedOptions } from './feature-expected.fixture.js';
import {
  assertSameMatrix,
  buildFeatures,
  readMatrix,
  reviewedWorkspace,
  writeCsvFixture,
} from './feature-kit.fixture.js';

const SECOND_IN_DAYS = 1 / 86400;
const inWindow = (op: string, inner: string) =>
  `${op}(events${inner} WHERE cutoff - ${WINDOW_DAYS} days <= events.at < cutoff)`;
const beforeCutoff = (op: string, inner: string) => `${op}(events${inner} WHERE events.at < cutoff)`;

test('cutoffs: a child row at or after the cutoff is left out, one second before is in; a window drops older rows; a cutoff column gives each row its own; --no-cutoff uses every row', async () => {
  await withTempDir('feat-cutoff', async (dir) => {
    const data = join(dir, 'data');
    await writeCsvFixture(data, fixtureTables());
    await reviewedWorkspace(dir, 'data');
    const check = async (args: string[], options: ExpectedOptions, label: string) => {
      const record = await buildFeatures(dir, args);
      const expected = await expectedMatrix(data, options);
      assert.deepEqual(record.features.map((f) => f.name).sort(), [...expected.names].sort(), label);
      assert.deepEqual(
        record.cutoff,
        options.cutoff.kind === 'fixed' ? { kind: 'fixed', at: '2024-06-01T00:00:00.000Z' } : options.cutoff,
        label,
      );
      const untimed = record.warnings.some((w) => w.startsWith('notes has no time index: all its rows are used'));
      assert.equal(untimed, options.cutoff.kind !== 'none', `${label}: ${record.warnings.join(' | ')}`);
      assert.ok(!record.warnings.some((w) => /^(events|items) has no time index/.test(w)), label);
      const matrix = await readMatrix(dir, record);
      assertSameMatrix(matrix, expected.rows, expected.names, label);
      return (id: number, name: string) => matrix[id - 1]![name];
    };

    // Account 5's events: 5000 at the cutoff, 6000 a second after, 999 a second before, 11 exactly
    // 30 days before, -11 a second earlier than that, 21 in March.
    const fixed = await check(
      ['--cutoff-time', '2024-06-01'],
      { cutoff: { kind: 'fixed', at: CUTOFF }, windowDays: null },
      'fixed cutoff',
    );
    assert.equal(fixed(5, beforeCutoff('COUNT', '')), 4);
    assert.equal(fixed(5, beforeCutoff('MAX', '.amount')), 999);
    assert.equal(fixed(5, beforeCutoff('SUM', '.amount')), 999 + 11 - 11 + 21);
    assert.ok(Math.abs((fixed(5, beforeCutoff('TIME_SINCE_LAST', '.at')) as number) - SECOND_IN_DAYS) < 1e-12);
    assert.equal(fixed(3, beforeCutoff('COUNT', '')), 1, 'account 3: its July event is after the cutoff');
    assert.equal(fixed(8, 'COUNT(notes)'), 2, 'notes have no time: all count');

    const window = await check(
      ['--cutoff-time', '2024-06-01', '--window', String(WINDOW_DAYS)],
      { cutoff: { kind: 'fixed', at: CUTOFF }, windowDays: WINDOW_DAYS },
      `fixed cutoff, ${WINDOW_DAYS}-day window`,
    );
    assert.equal(window(5, inWindow('COUNT', '')), 2);
    assert.equal(window(5, inWindow('MIN', '.amount')), 11, 'the row exactly at the window start is in');
    assert.equal(window(5, inWindow('TIME_SINCE_FIRST', '.at')), 30);
    assert.equal(window(3, inWindow('COUNT', '')), 0, 'account 3: its April event is older than the window');

    // observed_at: account 5 at 2024-05-02 00:00 (its 11 is exactly there), account 3 on 2024-03-16
    // (before its only earlier event), account 8 on 2024-06-20.
    const perRow = await check(
      ['--cutoff-column', 'observed_at'],
      { cutoff: { kind: 'column', column: 'observed_at' }, windowDays: null },
      'cutoff column',
    );
    assert.equal(perRow(5, beforeCutoff('COUNT', '')), 2);
    assert.equal(perRow(5, beforeCutoff('MAX', '.amount')), 21);
    assert.ok(Math.abs((perRow(5, beforeCutoff('TIME_SINCE_LAST', '.at')) as number) - SECOND_IN_DAYS) < 1e-12);
    assert.equal(perRow(3, beforeCutoff('COUNT', '')), 0);
    assert.ok(
      (perRow(8, beforeCutoff('COUNT', '')) as number) > (fixed(8, beforeCutoff('COUNT', '')) as number),
      'account 8: a later cutoff sees its June event',
    );
    assert.equal(
      perRow(5, 'TIME_SINCE(seen_at)'),
      (Date.parse('2024-05-02T00:00:00Z') - Date.parse('2023-07-05T01:05:05Z')) / 86_400_000,
    );

    // --no-cutoff: every event counts, including those after any cutoff, and it is said.
    const all = await check(['--no-cutoff'], { cutoff: { kind: 'none' }, windowDays: null }, 'no cutoff');
    assert.equal(all(5, 'COUNT(events)'), 6);
    assert.equal(all(5, 'MAX(events.amount)'), 6000);

    const perRowWindow = await check(
      ['--cutoff-column', 'observed_at', '--window', String(WINDOW_DAYS)],
      { cutoff: { kind: 'column', column: 'observed_at' }, windowDays: WINDOW_DAYS },
      'cutoff column and window',
    );
    assert.equal(perRowWindow(5, inWindow('COUNT', '')), 1);
  });
});
