import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathom, runFathomOk } from '../testing/run-cli.js';
import { fixtureTables } from './feature.fixture.js';
import { buildFeatures, readMatrix, reviewedWorkspace, writeCsvFixture } from './feature-kit.fixture.js';

const before = (op: string, inner: string) => `${op}(events${inner} WHERE events.at < cutoff)`;

test('a cutoff table gives the rows: an entity at two cutoffs gets two rows, its label comes from the table, an unknown entity still gets child features', async () => {
  await withTempDir('feat-cutoff-table', async (dir) => {
    const data = join(dir, 'data');
    await writeCsvFixture(data, [
      ...fixtureTables(),
      {
        name: 'snapshots',
        columns: [
          ['id', 'int'],
          ['as_of', 'timestamp'],
          ['churned', 'bool'],
        ],
        rows: [
          [5, '2024-06-01 00:00:00', true],
          [5, '2024-05-02 00:00:00', false],
          [3, '2024-06-01 00:00:00', false],
          [99, '2024-06-01 00:00:00', true],
        ],
      },
    ]);
    await reviewedWorkspace(dir, 'data');
    const record = await buildFeatures(dir, ['--cutoff-table', 'snapshots']);
    assert.deepEqual(record.cutoff, { kind: 'table', table: 'snapshots', column: 'as_of', label: true });
    assert.equal(record.matrix.rows, 4);
    assert.ok(
      !record.features.some((f) => f.tables.includes('snapshots')),
      'the cutoff table is not aggregated as a child',
    );
    // Rows in key order, then cutoff: 3, 5 (May), 5 (June), 99.
    const rows = await readMatrix(dir, record);
    assert.deepEqual(
      rows.map((r) => r.id),
      [3, 5, 5, 99],
    );
    const [three, fiveMay, fiveJune, unknown] = rows as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    assert.deepEqual(
      [three.churned, fiveMay.churned, fiveJune.churned, unknown.churned],
      [false, false, true, true],
      'labels from the cutoff table',
    );
    // Account 5 before 2024-05-02: events on 03-15 and 05-01 23:59:59; before 06-01: four (see feature-fixture.ts).
    assert.equal(fiveMay[before('COUNT', '')], 2);
    assert.equal(fiveJune[before('COUNT', '')], 4);
    assert.equal(fiveJune[before('MAX', '.amount')], 999);
    assert.equal(three[before('COUNT', '')], 1);
    assert.equal(unknown[before('COUNT', '')], 0);
    assert.equal(unknown.balance, null, 'an entity the target table does not hold has no own columns');

    // A cutoff table without the key, and one with two time columns and none named, are refused with the fix.
    const noKey = await runFathom(['features', '--cutoff-table', 'items'], { cwd: dir });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /Cutoff table items lacks the key column\(s\) id of accounts/);
    const unknownTable = await runFathom(['features', '--cutoff-table', 'nope'], { cwd: dir });
    assert.equal(unknownTable.code, 2);
    assert.match(unknownTable.stderr, /No table nope in the target's source/);
    const both = await runFathom(['features', '--cutoff-table', 'snapshots', '--cutoff-time', '2024-06-01'], {
      cwd: dir,
    });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /at most one of/);
    await runFathomOk(['features', '--cutoff-table', 'snapshots.as_of', '-q'], { cwd: dir });
  });
});
