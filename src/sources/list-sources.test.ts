import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { withTempDir } from '../testing/temp-dir.js';
import { repoPath } from '../testing/repo-path.js';
import { initWorkspace } from '../workspace/init-workspace.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { connectAndRecord } from './record-source.js';
import { listSources } from './list-sources.js';

test('listSources: each connected source with its tables, their shape and never their data', async () => {
  await withTempDir('list-sources', async (dir) => {
    await initWorkspace(dir);
    const ws = await openWorkspace(dir);
    try {
      assert.deepEqual(await listSources(ws), []);
      await connectAndRecord(
        ws,
        { name: 'shop', location: repoPath('examples', 'shop') },
        {
          cwd: dir,
          env: {},
          stdin: new PassThrough(),
        },
      );
      const [shop, ...others] = await listSources(ws);
      assert.deepEqual(others, []);
      assert.deepEqual([shop!.name, shop!.kind, shop!.credential], ['shop', 'files', null]);
      const customers = shop!.tables.find((t) => t.name === 'customers')!;
      assert.equal(shop!.tables.length, 6);
      assert.equal(customers.rows, 3000);
      assert.equal(customers.quarantined, 0);
      assert.match(customers.fingerprint, /^[0-9a-f]{64}$/);
      assert.deepEqual(Object.keys(customers.columns[0]!).sort(), ['logicalType', 'name', 'physicalType']);
    } finally {
      await ws.close();
    }
  });
});
