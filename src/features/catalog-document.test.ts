import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTempDir } from '../testing/temp-dir.js';
import { repoPath } from '../testing/repo-path.js';
import { runFathomOk } from '../testing/run-cli.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { FathomError } from '../util/fathom-error.js';
import { catalogDocument } from './catalog-document.js';

test('catalogDocument: whole or one table; unexplored, or an unknown table, names the fix', async () => {
  await withTempDir('catalog-document', async (dir) => {
    await runFathomOk(['init', '-q'], { cwd: dir });
    const ws = await openWorkspace(dir);
    try {
      await assert.rejects(
        catalogDocument(ws),
        (e: unknown) => e instanceof FathomError && e.kind === 'usage' && /fathom explore/.test(e.hint ?? ''),
      );
      await runFathomOk(['explore', repoPath('examples', 'shop'), '-q'], { cwd: dir });
      assert.equal((await catalogDocument(ws)).tables.length, 6);
      const orders = await catalogDocument(ws, { table: 'orders' });
      assert.deepEqual(
        orders.tables.map((t) => t.name),
        ['orders'],
      );
      assert.ok(orders.relationships.length > 0, 'the rest of the document stays whole');
      await assert.rejects(
        catalogDocument(ws, { table: 'order' }),
        (e: unknown) =>
          e instanceof FathomError &&
          e.exitCode === 2 &&
          /No explored table named order$/.test(e.message) &&
          /orders/.test(e.hint ?? ''),
      );
    } finally {
      await ws.close();
    }
  });
});
