import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createFileObjectStore } from './object-store.js';
import { objectStoreConformance } from './object-store-conformance.js';

objectStoreConformance('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fathom-objects-'));
  const store = createFileObjectStore(join(dir, 'objects'));
  return {
    store,
    corrupt: (hash, bytes) => writeFile(store.path(hash), bytes),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('file object store', () => {
  it('lays objects out flat as <dir>/<sha256>, leaving no temp files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fathom-objects-'));
    try {
      const store = createFileObjectStore(join(dir, 'objects'));
      const hashes = await Promise.all(['a', 'b', 'a'].map((s) => store.put(s)));
      assert.equal(store.path(hashes[0]!), join(dir, 'objects', hashes[0]!));
      assert.deepEqual((await readdir(join(dir, 'objects'))).sort(), [...new Set(hashes)].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
