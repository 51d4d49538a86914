import { it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { discoverFileTables } from './files-connector.js';
import { fixtureDir } from './files-kit.fixture.js';
import type { SourceConfig, SourceTable } from '../source.js';

it('reuses a known table whose fingerprint is unchanged without reading the file, and reads a changed one', async () => {
  const dir = await fixtureDir({ 'a.csv': 'id,x\n1,2\n', 'b.csv': 'id,y\n1,z\n' });
  const config: SourceConfig = { name: 's', kind: 'files', location: dir };
  const deps = { cacheDir: join(dir, '.cache') };
  const first = await discoverFileTables(config, deps);
  // A marker only a reused table can carry: re-inspection would rebuild details from the file.
  const marked = first.map((t): SourceTable => ({ ...t, details: { ...t.details, marker: t.name } }));
  const known = new Map(marked.map((t) => [t.fingerprint, t]));
  const again = await discoverFileTables(config, { ...deps, known });
  assert.deepEqual(again, marked, 'unchanged files come back as the known tables');

  await appendFile(join(dir, 'b.csv'), '2,w\n');
  const changed = await discoverFileTables(config, { ...deps, known });
  assert.equal(changed.find((t) => t.name === 'a')?.details?.marker, 'a');
  const b = changed.find((t) => t.name === 'b');
  assert.equal(b?.details?.marker, undefined, 'a changed file is inspected again');
  assert.equal(b?.rows, 2);
  assert.notEqual(b?.fingerprint, first.find((t) => t.name === 'b')?.fingerprint);
  assert.deepEqual(
    b?.columns.map((c) => c.name),
    ['id', 'y'],
  );
});
