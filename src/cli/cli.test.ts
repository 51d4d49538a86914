import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runFathom } from '../testing/run-cli.js';
import { withTempDir } from '../testing/temp-dir.js';
import { repoPath } from '../testing/repo-path.js';

const SHOP = repoPath('examples', 'shop');

test('init, connect, status, log and verify on the shop demo; connecting again is reused', async () => {
  await withTempDir('cli', async (dir) => {
    const init = await runFathom(['init', 'proj', '--json'], { cwd: dir });
    assert.equal(init.code, 0, init.stderr);
    assert.equal(init.json().created, true);
    const cwd = join(dir, 'proj');

    const connect = await runFathom(['connect', 'shop', SHOP, '--json'], { cwd });
    assert.equal(connect.code, 0, connect.stderr);
    const doc = connect.json();
    assert.deepEqual(doc.tables.map((t: { name: string }) => t.name).sort(), [
      'customers',
      'order_items',
      'orders',
      'products',
      'returns',
      'support_tickets',
    ]);
    assert.equal(doc.tables.find((t: { name: string }) => t.name === 'customers').rows, 3000);
    assert.equal(doc.reused, false);

    const again = await runFathom(['connect', 'shop', SHOP, '--json'], { cwd });
    assert.equal(again.json().reused, true, 'unchanged source is reused');

    const status = await runFathom(['status', '--json'], { cwd });
    assert.equal(status.code, 0);
    const s = status.json();
    assert.equal(s.head.seq, 3, 'started + succeeded + reused');
    assert.match(s.head.hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(s.sources, [{ name: 'shop', kind: 'files', tables: 6 }]);
    assert.equal(s.head.countsByStatus.reused, 1);

    const log = await runFathom(['log', '--json', '--status', 'reused'], { cwd });
    assert.deepEqual(
      log.json().entries.map((e: { seq: number; kind: string }) => [e.seq, e.kind]),
      [[3, 'source.connect']],
    );
    const human = await runFathom(['log'], { cwd });
    assert.match(human.stdout, /reused output of entry 2/);

    const verify = await runFathom(['verify', '--json'], { cwd });
    assert.equal(verify.code, 0);
    assert.equal(verify.json().ok, true);
    assert.equal(verify.json().entries, 3);
  });
});

test('explore profiles each table once, reuses unchanged ones, and re-profiles only a changed file', async () => {
  await withTempDir('cli-explore', async (dir) => {
    const data = join(dir, 'data');
    await cp(SHOP, data, { recursive: true, filter: (src) => !src.endsWith('.mjs') });
    const first = await runFathom(['explore', data, '--json'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const a = first.json();
    assert.equal(a.profiled, 6);
    assert.equal(a.reused, 0);
    const customers = a.profiles.find((p: { table: string }) => p.table === 'customers');
    const churned = customers.columns.find((c: { name: string }) => c.name === 'churned');
    assert.equal(churned.logicalType, 'boolean');
    assert.equal(churned.stats.distinct, 2);
    assert.equal(churned.semanticType, 'boolean');
    assert.equal(customers.columns.find((c: { name: string }) => c.name === 'cancellation_reason').stats.nulls, 2396);
    assert.equal(a.relationships.length, 5);
    assert.equal(a.targets[0].column, 'churned');
    assert.match(first.stderr, /explore \[7\/7\] done/, 'progress goes to stderr');

    const second = await runFathom(['explore', data, '--json'], { cwd: dir });
    assert.equal(second.json().profiled, 0);
    assert.equal(second.json().reused, 6);
    assert.equal(second.json().relationshipsReused, true, 'unchanged profiles reuse the relationships');
    const connects = await runFathom(['log', '--json', '--kind', 'source.connect'], { cwd: dir });
    assert.deepEqual(
      connects.json().entries.map((e: { status: string }) => e.status),
      ['reused', 'succeeded', 'started'],
      'one refresh per explore, not two',
    );

    await appendFile(join(data, 'products.csv'), 'P-9999,new item,toys,1.5\n');
    const third = await runFathom(['explore', '--json'], { cwd: dir });
    const t = third.json();
    assert.deepEqual(
      t.profiles.filter((p: { reused: boolean }) => !p.reused).map((p: { table: string }) => p.table),
      ['products'],
    );
    assert.equal(t.profiles.find((p: { table: string }) => p.table === 'products').rows, 201);
    assert.equal((await runFathom(['verify'], { cwd: dir })).code, 0);
  });
});

test('a tampered or truncated log fails verify with exit 1, naming the entry', async () => {
  await withTempDir('cli-tamper', async (dir) => {
    await writeFile(join(dir, 't.csv'), 'id,x\n1,a\n2,b\n');
    assert.equal((await runFathom(['explore', join(dir, 't.csv')], { cwd: dir })).code, 0);
    const db = new Database(join(dir, '.fathom', 'ledger.db'));
    // The store forbids UPDATE/DELETE by trigger; an attacker with file access drops them.
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[])
      db.exec(`DROP TRIGGER "${name}"`);
    db.prepare('UPDATE log SET body = replace(body, \'"t"\', \'"u"\') WHERE seq = 2').run();
    db.close();
    const bad = await runFathom(['verify'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /verification FAILED at entry 2/);

    const db2 = new Database(join(dir, '.fathom', 'ledger.db'));
    db2.prepare('UPDATE log SET body = replace(body, \'"u"\', \'"t"\') WHERE seq = 2').run();
    assert.equal((await runFathom(['verify'], { cwd: dir })).code, 0, 'restoring the body restores the chain');
    db2.pragma('foreign_keys = OFF');
    db2.prepare('DELETE FROM log WHERE seq = (SELECT MAX(seq) FROM log)').run();
    db2.close();
    const truncated = await runFathom(['verify', '--json'], { cwd: dir });
    assert.equal(truncated.code, 1);
    assert.equal(truncated.json().ok, false);
    assert.match(truncated.stderr, /verification FAILED at entry \d+/);
  });
});

test('a malformed CSV row fails connect with file:line and exit 2; --quarantine sets it aside', async () => {
  await withTempDir('cli-badcsv', async (dir) => {
    await writeFile(join(dir, 'bad.csv'), 'a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n');
    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    const bad = await runFathom(['connect', 'd', 'bad.csv'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.csv:3: expected 3 fields, found 4/);
    assert.match(bad.stderr, /fix: .*--quarantine/);
    const failed = await runFathom(['log', '--json', '--status', 'failed'], { cwd: dir });
    assert.match(failed.json().entries[0].error, /bad\.csv:3: expected 3 fields, found 4/, 'the failure is in the log');
    const ok = await runFathom(['connect', 'd', 'bad.csv', '--quarantine', '--json'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.json().tables[0].quarantined, 1);
    assert.equal(ok.json().tables[0].rows, 2);
  });
});

test('hostile column names survive connect and explore exactly', async () => {
  await withTempDir('cli-hostile', async (dir) => {
    await writeFile(
      join(dir, 'weird table.csv'),
      '"we""ird",naïve ✓,select,"a b",group\n1,x,2024-01-01,3.5,true\n2,y,2024-01-02,,false\n',
    );
    const run = await runFathom(['explore', join(dir, 'weird table.csv'), '--json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const profile = run.json().profiles[0];
    assert.equal(profile.table, 'weird table');
    assert.deepEqual(
      profile.columns.map((c: { name: string }) => c.name),
      ['we"ird', 'naïve ✓', 'select', 'a b', 'group'],
    );
    assert.equal(profile.columns[3].stats.nulls, 1);
    assert.equal(profile.columns[2].logicalType, 'date');
  });
});

test('usage errors exit 2 with a fix; JSON stays on stdout alone', async () => {
  await withTempDir('cli-usage', async (dir) => {
    const none = await runFathom(['status'], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /No Fathom project in .*\n  fix: Run `fathom init`/);
    const unknown = await runFathom(['frobnicate'], { cwd: dir });
    assert.equal(unknown.code, 2);
    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    const missing = await runFathom(['connect', 'x', 'nope/data.csv'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\/data\.csv does not exist/);
    const badName = await runFathom(['connect', '1bad', '.'], { cwd: dir });
    assert.match(badName.stderr, /Source name "1bad" is not valid/);
    const noSources = await runFathom(['explore', '--json'], { cwd: dir });
    assert.equal(noSources.code, 2);
    assert.deepEqual(
      noSources.json().error,
      {
        kind: 'usage',
        message: 'No sources connected yet',
        hint: 'Connect one first: fathom connect NAME LOCATION',
        exitCode: 2,
      },
      'with --json a failure is one JSON document too',
    );
    assert.equal(
      (await runFathom(['explore'], { cwd: dir })).stdout,
      '',
      'without --json, nothing on stdout when the command fails',
    );
    const help = await runFathom(['connect', '--help'], { cwd: dir });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Examples:/);
  });
});

test('explore from a subfolder of the project finds sources by their project-relative location', async () => {
  await withTempDir('cli-subdir', async (dir) => {
    await mkdir(join(dir, 'data'));
    await mkdir(join(dir, 'notes', 'deep'), { recursive: true });
    await writeFile(join(dir, 'data', 't.csv'), 'id,x\n1,a\n2,b\n');
    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    assert.equal((await runFathom(['connect', 'd', 'data'], { cwd: dir })).code, 0);
    assert.equal((await runFathom(['explore'], { cwd: dir })).code, 0);
    const run = await runFathom(['explore', '--json'], { cwd: join(dir, 'notes', 'deep') });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json().reused, 1, 'same source, same data: the profile is reused');
  });
});
