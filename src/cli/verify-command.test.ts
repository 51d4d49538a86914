import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { editLedgerFile as edit } from '../ledger/sqlite/sqlite-tamper.fixture.js';
import { openSqliteLedger } from '../ledger/sqlite/sqlite-ledger-store.js';
import { runFathom } from '../testing/run-cli.js';
import { withTempDir } from '../testing/temp-dir.js';

test('verify --rebuild repairs a damaged projection end to end, and refuses when the chain is broken', async () => {
  await withTempDir('cli-rebuild', async (dir) => {
    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    const file = join(dir, '.fathom', 'ledger.db');
    const ledger = await openSqliteLedger(file);
    for (let i = 1; i <= 5; i++) {
      await ledger.append({
        kind: 'k',
        status: 'recorded',
        workerId: 'w',
        patches: [{ collection: 'c', key: `k${i % 2}`, value: { i } }],
      });
    }
    await ledger.close();

    edit(file, `UPDATE state SET value = '{"i":99}' WHERE key = 'k1'; DELETE FROM state WHERE key = 'k0'`);
    const bad = await runFathom(['verify'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /projection differs from the log/);
    assert.match(bad.stderr, /fix: .*fathom verify --rebuild/);

    const fixed = await runFathom(['verify', '--rebuild', '--json'], { cwd: dir });
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.deepEqual([fixed.json().ok, fixed.json().rebuilt], [true, true]);
    const human = await runFathom(['verify', '--rebuild'], { cwd: dir });
    assert.match(human.stdout, /ledger ok: 5 entries/);
    assert.doesNotMatch(human.stdout, /rebuilt/, 'nothing to rebuild on a healthy ledger');

    // A broken chain and a damaged projection: --rebuild must not paper over either.
    edit(
      file,
      `UPDATE state SET value = '{"i":99}' WHERE key = 'k1'; UPDATE log SET body = replace(body, '"i":3', '"i":4') WHERE seq = 3`,
    );
    const refused = await runFathom(['verify', '--rebuild', '--json'], { cwd: dir });
    assert.equal(refused.code, 1);
    assert.deepEqual([refused.json().firstProblem.seq, refused.json().rebuilt], [3, false]);
    assert.match(refused.stderr, /FAILED at entry 3/);
    const state = new Database(file, { readonly: true });
    assert.equal(
      (state.prepare("SELECT value FROM state WHERE key = 'k1'").get() as { value: string }).value,
      '{"i":99}',
      'state left untouched',
    );
    state.close();
  });
});
