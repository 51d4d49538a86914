import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathom, runFathomOk } from '../testing/run-cli.js';
import { fixtureTables } from './feature.fixture.js';
import { reviewedWorkspace, writeCsvFixture } from './feature-kit.fixture.js';

test('fathom features refuses bad options and missing metadata with exit 2, naming the flag, table or column and the fix, and records no matrix', async () => {
  await withTempDir('feat-refusals', async (dir) => {
    const data = join(dir, 'data');
    await writeCsvFixture(data, fixtureTables());

    // Explored, but no target confirmed yet.
    const bare = join(dir, 'bare');
    await mkdir(bare, { recursive: true });
    await runFathomOk(['init', '-q'], { cwd: bare });
    await runFathomOk(['connect', 'src', join('..', 'data')], { cwd: bare });
    await runFathomOk(['explore', '-q'], { cwd: bare });
    const noTarget = await runFathom(['features'], { cwd: bare });
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /No target is confirmed/);
    assert.match(noTarget.stderr, /fathom tag TABLE\.COLUMN --target/);

    const ws = join(dir, 'ws');
    await reviewedWorkspace(ws, join('..', 'data'));
    const refused = async (args: string[], message: RegExp, fix: RegExp) => {
      const run = await runFathom(['features', ...args], { cwd: ws });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.match(run.stderr, fix, args.join(' '));
    };
    await refused(['--cutoff-time', 'yesterday'], /--cutoff-time "yesterday" is not a date or time/, /ISO 8601/);
    await refused(
      ['--cutoff-column', 'city'],
      /--cutoff-column accounts\.city is string, not a date or timestamp/,
      /date or timestamp column/,
    );
    await refused(
      ['--cutoff-column', 'nope'],
      /Table accounts has no usable column nope for --cutoff-column/,
      /date or timestamp column of accounts/,
    );
    await refused(['--depth', '9'], /--depth must be 1, 2, 3 or 4, got 9/, /Depth 2/);
    await refused(['--window', '0'], /--window/, /positive number of days/);
    await refused(['--max-features', '0'], /--max-features/, /.+/);
    const log = (await runFathomOk(['log', '--kind', 'features.matrix', '--json'], { cwd: ws })).json();
    assert.equal((Array.isArray(log) ? log : log.entries).length, 0, 'nothing was computed');
  });
});
