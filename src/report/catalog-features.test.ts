import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoPath } from '../testing/repo-path.js';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathom, runFathomOk } from '../testing/run-cli.js';
import { escapeHtml } from './escape-html.js';
import type { FeatureSetRecord } from '../features/feature-set-record.js';
import type { Catalog } from '../catalog/catalog.js';

const SHOP = repoPath('examples', 'shop');

test('after fathom features the catalog carries every feature with its SQL, status, reason and gain; the report shows them', async () => {
  await withTempDir('catalog-features', async (dir) => {
    // Three of the shop's tables keep this quick: customers (the target) and two child tables.
    await mkdir(join(dir, 'shop'));
    for (const t of ['customers', 'orders', 'support_tickets'])
      await cp(join(SHOP, `${t}.csv`), join(dir, 'shop', `${t}.csv`));
    const cwd = dir;
    await runFathomOk(['explore', 'shop', '-q'], { cwd });
    const before = (await runFathomOk(['catalog', '--json'], { cwd })).json() as Catalog;
    assert.equal(before.features, undefined, 'no feature set before fathom features');
    await runFathomOk(['review', '--yes', '-q'], { cwd });
    // The second exploration (round two) flags cancellation_reason as a leak, which selection drops.
    await runFathomOk(['explore', '-q'], { cwd });
    const record = (
      await runFathomOk(['features', '--depth', '1', '--max-features', '10', '--json', '-q'], { cwd })
    ).json() as FeatureSetRecord;

    const catalog = (await runFathomOk(['catalog', '--json'], { cwd })).json() as Catalog;
    assert.equal(catalog.features?.length, 1);
    const set = catalog.features![0]!;
    assert.deepEqual(set.target, { source: 'shop', table: 'customers', column: 'churned', kind: 'binary' });
    assert.deepEqual(set.cutoff, record.cutoff);
    assert.equal(set.depth, 1);
    assert.equal(set.windowDays, null);
    assert.deepEqual(set.warnings, record.warnings);
    assert.deepEqual(set.matrix, {
      rows: 3000,
      columns: record.matrix.columns.length,
      bytes: record.matrix.bytes,
      object: record.matrix.object,
    });
    assert.equal(set.metadataVersion, catalog.metadataVersion);

    assert.deepEqual(
      set.features.map((f) => [f.name, f.sql, f.kind, f.primitive, f.depth, f.tables]),
      record.features.map((f) => [f.name, f.sql, f.kind, f.primitive, f.depth, f.tables]),
    );
    const dropped = new Map(record.selection.dropped.map((d) => [d.name, d.reason]));
    const gains = new Map(record.selection.ranking.map((r) => [r.name, r.gain]));
    for (const f of set.features) {
      assert.equal(f.status, record.selection.kept.includes(f.name) ? 'kept' : 'dropped', f.name);
      assert.equal(f.reason, f.status === 'dropped' ? dropped.get(f.name) : undefined, f.name);
      assert.equal(f.gain, gains.get(f.name), f.name);
    }
    assert.equal(set.features.filter((f) => f.status === 'kept').length, 10);
    const leak = set.features.find((f) => f.name === 'cancellation_reason')!;
    assert.equal(leak.status, 'dropped');
    assert.match(leak.reason!, /^leakage suspect: customers\.cancellation_reason/);
    assert.match(leak.leakage!, /predicts the target/);
    assert.ok(set.features.some((f) => f.reason === 'ranked below the top 10 by gain'));

    const human = await runFathom(['catalog'], { cwd });
    assert.match(
      human.stdout,
      new RegExp(
        `Features for customers\\.churned: ${set.features.length} features, 10 kept \\(depth 1; matrix 3000 rows x ${set.matrix.columns} columns\\)`,
      ),
    );

    await runFathomOk(['report', '--out', join(dir, 'report.html'), '-q'], { cwd });
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    const section = html.slice(html.indexOf('<section id="features">'), html.indexOf('<section id="tables">'));
    const best = set.features.filter((f) => f.status === 'kept').sort((a, b) => b.gain! - a.gain!)[0]!;
    assert.ok(
      section.includes(
        `<td>1</td><td><details class="lineage"><summary><code>${escapeHtml(best.name)}</code></summary>`,
      ),
      'the best feature ranks first',
    );
    for (const f of set.features)
      assert.ok(section.includes(`<pre class="sql">${escapeHtml(f.sql)}</pre>`), `the SQL of ${f.name}`);
    assert.ok(section.includes(`<td>${escapeHtml(leak.reason!)}</td>`));
  });
});
