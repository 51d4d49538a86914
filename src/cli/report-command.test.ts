import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFathom } from '../testing/run-cli.js';
import { repoPath } from '../testing/repo-path.js';
import { withTempDir } from '../testing/temp-dir.js';

/** Raw personal values of the shop demo, straight from its CSV. */
async function shopPii(): Promise<string[]> {
  const lines = (await readFile(repoPath('examples/shop/customers.csv'), 'utf8')).trim().split('\n').slice(1);
  // customer_id,full_name,email,phone,... (no quoted commas in these columns)
  return lines.flatMap((l) => l.split(',').slice(1, 4));
}

test(
  'fathom report writes one self-contained page of the explored shop, with no raw PII',
  { timeout: 180_000 },
  async () => {
    await withTempDir('report-cli', async (dir) => {
      const explored = await runFathom(['explore', repoPath('examples/shop'), '-q'], { cwd: dir });
      assert.equal(explored.code, 0, explored.stderr);

      const run = await runFathom(['report', '--json'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      const summary = run.json<{ file: string; bytes: number; tables: number; charts: number }>();
      assert.equal(summary.file, join(dir, '.fathom', 'report.html'));
      assert.equal(summary.tables, 6);
      assert.ok(summary.charts >= 20, `${summary.charts} charts`);
      assert.equal((await stat(summary.file)).size, summary.bytes);
      const html = await readFile(summary.file, 'utf8');
      assert.equal((html.match(/data-chart="\d+"/g) ?? []).length, summary.charts);
      for (const table of ['customers', 'orders', 'order_items', 'products', 'returns', 'support_tickets'])
        assert.ok(html.includes(`<h3>${table}</h3>`), table);
      const pii = await shopPii();
      assert.equal(pii.length, 9000);
      const leaked = pii.filter((v) => html.includes(v));
      assert.deepEqual(leaked.slice(0, 5), [], `${leaked.length} raw PII values in the report`);

      // --out: a new file in a new folder, or a folder that exists.
      const custom = await runFathom(['report', '--out', 'out/shop.html', '--json'], { cwd: dir });
      assert.equal(custom.code, 0, custom.stderr);
      assert.equal(custom.json().file, join(dir, 'out', 'shop.html'));
      await mkdir(join(dir, 'reports'));
      const intoFolder = await runFathom(['report', '--out', 'reports', '--json'], { cwd: dir });
      assert.equal(intoFolder.json().file, join(dir, 'reports', 'report.html'));

      // --open without any opener on the PATH still succeeds and says where the file is.
      const opened = await runFathom(['report', '--open'], { cwd: dir, env: { PATH: '' } });
      assert.equal(opened.code, 0, opened.stderr);
      assert.match(opened.stdout, /wrote .*report\.html \(6 tables, \d+ charts, \d+ kB\)/);
      assert.match(opened.stderr, /no browser opener/);

      // A place that cannot be written is bad input naming the path.
      await writeFile(join(dir, 'a-file'), 'x');
      const bad = await runFathom(['report', '--out', 'a-file/report.html', '--json'], { cwd: dir });
      assert.equal(bad.code, 2);
      assert.match(bad.json().error.message, /a-file\/report\.html/);
    });
  },
);

test('fathom report before anything was explored says to explore first', async () => {
  await withTempDir('report-cli', async (dir) => {
    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    const run = await runFathom(['report'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Nothing explored yet/);
    assert.match(run.stderr, /fathom explore/);
  });
});
