import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathom } from '../testing/run-cli.js';
import type { Catalog, CatalogTable } from '../catalog/catalog.js';

const tableOf = (c: Catalog, name: string): CatalogTable => c.tables.find((t) => t.name === name)!;

test('hostile tables are explored with alerts, never a crash: empty, one row, all-null, mixed types, quoted unicode names', async () => {
  await withTempDir('explore-hostile', async (dir) => {
    const data = join(dir, 'data');
    await import('node:fs/promises').then((fs) => fs.mkdir(data));
    await writeFile(join(data, 'empty.csv'), 'id,name\n');
    await writeFile(join(data, 'one.csv'), 'id,name\n1,x\n');
    await writeFile(
      join(data, 'nulls.csv'),
      'id,nothing,some\n' + Array.from({ length: 50 }, (_, i) => `${i},,${i % 3 === 0 ? '' : i}`).join('\n') + '\n',
    );
    const mixed = Array.from({ length: 40 }, (_, i) => `${i},${i % 4 === 0 ? 'n/a' : i * 10}`);
    await writeFile(join(data, 'mixed.csv'), 'id,reading\n' + mixed.join('\n') + '\n');
    await writeFile(
      join(data, 'odd names.csv'),
      '"we""ird",naïve ✓,"a b",dup\n' +
        Array.from({ length: 30 }, (_, i) => `${i},${i % 5},x${i % 3},${i % 5}`).join('\n') +
        '\n',
    );
    const run = await runFathom(['explore', 'data', '--json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const catalog = (await runFathom(['catalog', '--json'], { cwd: dir })).json() as Catalog;

    const empty = tableOf(catalog, 'empty');
    assert.equal(empty.rows, 0);
    assert.equal(empty.primaryKey, null);
    assert.ok(empty.alerts?.some((a) => /empty/.test(a.detail)));
    const one = tableOf(catalog, 'one');
    assert.equal(one.rows, 1);
    assert.ok(one.alerts?.some((a) => /single row/.test(a.detail)));

    const nulls = tableOf(catalog, 'nulls');
    const nothing = nulls.columns.find((c) => c.name === 'nothing')!;
    assert.equal(nothing.stats.nulls, 50);
    assert.deepEqual(
      nothing.alerts.map((a) => a.kind),
      ['high_missing'],
    );
    assert.equal(nulls.missingPatterns?.[0]?.nullColumns.includes('nothing'), true);
    assert.ok(nulls.columns.find((c) => c.name === 'some')!.alerts.some((a) => a.kind === 'high_missing'));

    const reading = tableOf(catalog, 'mixed').columns.find((c) => c.name === 'reading')!;
    assert.ok(
      reading.alerts.some((a) => a.kind === 'mixed_types' && /75% of values are numbers/.test(a.detail)),
      JSON.stringify(reading.alerts),
    );

    const odd = tableOf(catalog, 'odd names');
    assert.deepEqual(
      odd.columns.map((c) => c.name),
      ['we"ird', 'naïve ✓', 'a b', 'dup'],
    );
    assert.equal(odd.primaryKey?.columns[0], 'we"ird');
    assert.ok(
      odd.columns
        .find((c) => c.name === 'dup')!
        .alerts.some((a) => a.kind === 'duplicate_column' && /naïve ✓/.test(a.detail)),
    );
    assert.ok((odd.associations?.pairs.length ?? 0) > 0);
    assert.equal(catalog.relationships.length, 0, 'small integer ranges are not read as references');
  });
});

test('a 10,000-column table is explored within bounds', async () => {
  await withTempDir('explore-wide', async (dir) => {
    const cols = 10_000;
    const header = Array.from({ length: cols }, (_, i) => `c${i}`).join(',');
    const rows = Array.from({ length: 5 }, (_, r) => Array.from({ length: cols }, (_, i) => (i + r) % 7).join(','));
    await writeFile(join(dir, 'wide.csv'), `${header}\n${rows.join('\n')}\n`);
    const run = await runFathom(['explore', 'wide.csv', '--json', '-q'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const p = run.json().profiles[0];
    assert.equal(p.columns.length, cols);
    assert.equal(p.rows, 5);
    assert.ok(p.associations === null || p.associations.pairs.length <= 435, 'associations stay bounded to 30 columns');
  });
});

test('catalog: before explore, and for an unknown table, a clear error with the fix', async () => {
  await withTempDir('catalog-errors', async (dir) => {
    await writeFile(join(dir, 't.csv'), 'id,x\n1,a\n2,b\n');
    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    const empty = await runFathom(['catalog'], { cwd: dir });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /Nothing explored yet: the catalog is empty\n\s+fix: Run fathom explore first/);
    assert.equal((await runFathom(['explore', 't.csv', '-q'], { cwd: dir })).code, 0);
    const unknown = await runFathom(['catalog', '--table', 'nope', '--json'], { cwd: dir });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.json().error.message, 'No explored table named nope');
    assert.match(unknown.json().error.hint, /Tables: t/);
    assert.equal((await runFathom(['catalog', '--table', 't', '--json'], { cwd: dir })).json().tables.length, 1);
  });
});
