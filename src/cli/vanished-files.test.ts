import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFathom } from '../testing/run-cli.js';
import { withTempDir } from '../testing/temp-dir.js';

test('explore after a connected file is deleted names the source and the file (exit 2)', async () => {
  await withTempDir('cli-vanished', async (dir) => {
    await writeFile(join(dir, 'orders.csv'), 'id,total\n1,9.5\n');
    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    assert.equal((await runFathom(['connect', 'shop', 'orders.csv'], { cwd: dir })).code, 0);
    await rm(join(dir, 'orders.csv'));
    const run = await runFathom(['explore', '--json'], { cwd: dir });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.json().error.message, /orders\.csv does not exist/, 'the --json error document names the file');
    assert.match(run.stderr, /Source shop \(orders\.csv\): orders\.csv does not exist/);
    assert.match(run.stderr, /fathom connect shop NEW_LOCATION --replace/);
    assert.doesNotMatch(run.stderr, /internal error/);
  });
});

test('a dangling symbolic link in a folder source is a named bad input, not an internal error', async () => {
  await withTempDir('cli-dangling', async (dir) => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'a.csv'), 'id\n1\n');
    await symlink(join(dir, 'gone.csv'), join(dir, 'data', 'b.csv'));
    const run = await runFathom(['explore', 'data'], { cwd: dir });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /b\.csv is a symbolic link to .*gone\.csv, which does not exist/);
  });
});
