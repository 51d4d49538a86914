import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { FathomError } from '../../util/fathom-error.js';
import { fixtureDir } from '../connect/files-kit.fixture.js';
import { listDataFiles } from './list-data-files.js';

test('a folder: links to files are read, linked folders and loops are not followed, a dangling link is named', async () => {
  const dir = await fixtureDir({ 'real/t.csv': 'a\n1\n' });
  await mkdir(join(dir, 'src'));
  await symlink(join(dir, 'real', 't.csv'), join(dir, 'src', 'linked.csv'));
  await symlink(join(dir, 'src'), join(dir, 'src', 'loop.csv'));
  const files = await listDataFiles(join(dir, 'src'));
  assert.deepEqual(
    files.map((f) => f.tableName),
    ['linked'],
  );

  await symlink(join(dir, 'nowhere.csv'), join(dir, 'src', 'dangling.csv'));
  await assert.rejects(listDataFiles(join(dir, 'src')), (err: unknown) => {
    assert.ok(err instanceof FathomError && err.exitCode === 2, String(err));
    assert.match(err.message, /dangling\.csv is a symbolic link to .*nowhere\.csv, which does not exist/);
    return true;
  });
});
