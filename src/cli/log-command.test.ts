import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteLedger } from '../ledger/sqlite/sqlite-ledger-store.js';
import { runFathom } from '../testing/run-cli.js';
import { withTempDir } from '../testing/temp-dir.js';

interface Page {
  entries: Array<{ seq: number; kind: string }>;
  next: { before?: number; after?: number } | null;
}

/** Follow `next` from the first page to the end, as a script paging with --json would. */
async function allPages(cwd: string, filters: readonly string[], start: readonly string[] = []): Promise<number[][]> {
  const pages: number[][] = [];
  let cursor = [...start];
  for (let guard = 0; guard < 20; guard++) {
    const run = await runFathom(['log', '--json', '-n', '7', ...filters, ...cursor], { cwd });
    assert.equal(run.code, 0, run.stderr);
    const page = run.json<Page>();
    pages.push(page.entries.map((e) => e.seq));
    if (page.next === null) return pages;
    cursor =
      page.next.after !== undefined ? ['--after', String(page.next.after)] : ['--before', String(page.next.before)];
  }
  throw new Error('paging did not end');
}

const range = (from: number, to: number, step = 1): number[] => {
  const out: number[] = [];
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) out.push(i);
  return out;
};

test('log pages 50 entries by 7, backward, forward from the start and filtered, without overlap or gaps', async () => {
  await withTempDir('cli-log', async (dir) => {
    assert.equal((await runFathom(['init', 'proj'], { cwd: dir })).code, 0);
    const cwd = join(dir, 'proj');
    const ledger = await openSqliteLedger(join(cwd, '.fathom', 'ledger.db'));
    for (let i = 1; i <= 50; i++) {
      await ledger.append({ kind: i % 3 === 0 ? 'k.three' : 'k.other', status: 'recorded', workerId: 'w' });
    }
    await ledger.close();

    const backward = await allPages(cwd, []);
    assert.deepEqual(
      backward.map((p) => p.length),
      [7, 7, 7, 7, 7, 7, 7, 1],
      'the last page says there is no next',
    );
    assert.deepEqual(backward.flat(), range(50, 1, -1));

    const forward = await allPages(cwd, [], ['--after', '0']);
    assert.deepEqual(forward.flat(), range(1, 50), '--after 0 starts at the first entry');
    assert.equal(forward.length, 8);
    const exact = await allPages(cwd, [], ['--after', '1']);
    assert.deepEqual(
      exact.map((p) => p.length),
      [7, 7, 7, 7, 7, 7, 7],
      '49 entries: no empty eighth page',
    );

    const threes = range(3, 48, 3); // 16 entries
    const filtered = await allPages(cwd, ['--kind', 'k.three']);
    assert.deepEqual(filtered.flat(), [...threes].reverse());
    assert.deepEqual(
      filtered.map((p) => p.length),
      [7, 7, 2],
    );
    assert.deepEqual((await allPages(cwd, ['--kind', 'k.three'], ['--after', '0'])).flat(), threes);
    assert.deepEqual((await allPages(cwd, ['--before', '30'], ['--after', '10'])).flat(), range(11, 29));

    // The human hint repeats the filters, so following it stays on the same filtered list.
    const human = await runFathom(['log', '-n', '7', '--kind', 'k.three'], { cwd });
    assert.match(human.stdout, /more: fathom log --kind k\.three -n 7 --before 30\)/);
  });
});
