import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathomOk } from '../testing/run-cli.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import type { ScoringPlan } from '../features/scoring-plan.js';
import { openServingEngine } from './scoring-engine.js';

// openServingEngine reads only the plan's source and tables.
const plan = { source: 'data', tables: ['orders'] } as unknown as ScoringPlan;

test('a file source is held in memory for entity requests and reloaded when its file changes', async () => {
  await withTempDir('snapshot', async (dir) => {
    await mkdir(join(dir, 'data'));
    const file = join(dir, 'data', 'orders.csv');
    await writeFile(file, 'order_id,amount\n1,10\n2,20\n');
    await runFathomOk(['init', '.'], { cwd: dir });
    await runFathomOk(['connect', 'data', 'data'], { cwd: dir });
    const ws = await openWorkspace(dir);
    const s = await openServingEngine(ws, plan);
    const total = async () => Number((await s.engine.query('SELECT SUM(amount) AS t FROM "orders"')).rows[0]!.t);
    try {
      assert.equal(s.snapshot, true);
      assert.equal(await total(), 30);
      await appendFile(file, '3,70\n');
      assert.equal(await total(), 30, 'the snapshot does not read the file on every query');
      await utimes(file, new Date(), new Date(Date.now() + 5000)); // a later mtime, whatever the clock's resolution
      await s.refresh();
      assert.equal(await total(), 100, 'the changed file was loaded again');
      await rm(file);
      await assert.rejects(s.refresh(), /orders\.csv \(table orders of source "data"\) can no longer be read/);
      await writeFile(file, 'order_id,amount\n1,10\n2,20\n3,70\n');
      const tables = (
        await s.engine.query("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")
      ).rows.map((r) => r.table_name);
      assert.deepEqual(tables, ['fathom_snapshot_0']);
    } finally {
      await s.engine.close();
    }
    // Over the size limit: queried live from the file, nothing held.
    const live = await openServingEngine(ws, plan, 1);
    try {
      assert.equal(live.snapshot, false);
      await appendFile(file, '4,900\n');
      assert.equal(Number((await live.engine.query('SELECT SUM(amount) AS t FROM "orders"')).rows[0]!.t), 1000);
    } finally {
      await live.engine.close();
      await ws.close();
    }
  });
});
