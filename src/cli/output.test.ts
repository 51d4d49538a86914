import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneLine, table } from './output.js';
import { runFathom } from '../testing/run-cli.js';
import { withTempDir } from '../testing/temp-dir.js';

test('table cells stay on one line: newlines, tabs and terminal escapes are shown escaped', () => {
  assert.equal(oneLine('a\nb\tc\r\x1b[2J'), 'a\\nb\\tc\\r\\x1b[2J');
  const out = table(
    ['k', 'v'],
    [
      ['x', 'line one\nline two'],
      ['y', 'z'],
    ],
  );
  assert.deepEqual(out.split('\n'), ['k  v', '-  ------------------', 'x  line one\\nline two', 'y  z']);
});

test('catalog prints a quoted multi-line CSV header inside its table row', async () => {
  await withTempDir('cli-multiline', async (dir) => {
    await writeFile(join(dir, 'notes.csv'), 'id,"multi\nline"\n1,"first\nsecond"\n2,plain\n');
    assert.equal((await runFathom(['explore', 'notes.csv'], { cwd: dir })).code, 0);
    const run = await runFathom(['catalog'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.split('\n');
    assert.ok(
      rows.some((r) => /^multi\\nline\s+VARCHAR\s+\w+\s+[\d.]+\s+0\s+2\b/.test(r)),
      run.stdout,
    );
  });
});

test('log --limit beyond a safe integer is a usage error naming the flag', async () => {
  await withTempDir('cli-limit', async (dir) => {
    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    const run = await runFathom(['log', '-n', '99999999999999999999'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--limit must be a positive integer/);
  });
});
