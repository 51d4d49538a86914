import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../testing/repo-path.js';
import { runFathom } from '../testing/run-cli.js';
import type { Catalog } from '../catalog/catalog.js';

// One explored copy of the demo; each test works on a copy of that project.
let template = '';
const env = { FATHOM_USER: 'alice' };
before(async () => {
  template = await mkdtemp(join(tmpdir(), 'fathom-review-template-'));
  await cp(repoPath('examples', 'shop'), join(template, 'shop'), {
    recursive: true,
    filter: (src) => !src.endsWith('.mjs'),
  });
  const run = await runFathom(['explore', 'shop', '-q'], { cwd: template });
  assert.equal(run.code, 0, run.stderr);
});
after(async () => {
  if (template && !process.env.FATHOM_KEEP_TMP) await rm(template, { recursive: true, force: true });
});

async function project<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fathom-review-'));
  try {
    await cp(template, dir, { recursive: true });
    return await body(dir);
  } finally {
    if (!process.env.FATHOM_KEEP_TMP) await rm(dir, { recursive: true, force: true });
  }
}
const fathom = (dir: string, ...args: string[]) => runFathom(args, { cwd: dir, env });
const catalogOf = async (dir: string): Promise<Catalog> => (await fathom(dir, 'catalog', '--json')).json();
const reviewLog = async (dir: string) => {
  const run = await fathom(dir, 'log', '--kind', 'metadata.review', '--json');
  assert.equal(run.code, 0, run.stderr);
  const doc = run.json();
  return (Array.isArray(doc) ? doc : doc.entries) as Array<{
    seq: number;
    metadataVersion: number;
    detail: { by: string; at: string; changes: Array<{ key: string; old: unknown; new: any }> };
  }>;
};
const column = (c: Catalog, table: string, name: string) =>
  c.tables.find((t) => t.name === table)!.columns.find((x) => x.name === name)!;
const rel = (c: Catalog, from: string) =>
  c.relationships.find((r) => `${r.from.table}.${r.from.columns.join(',')}` === from);

test('tag records one ledger action with who, when, the old and the new value, and raises the metadata version', async () => {
  await project(async (dir) => {
    assert.equal((await catalogOf(dir)).metadataVersion, 0);
    const first = await fathom(dir, 'tag', 'customers.churned', '--target', '--json');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.json().version, 1);
    const c1 = await catalogOf(dir);
    assert.equal(c1.metadataVersion, 1);
    assert.deepEqual(
      c1.targets.filter((t) => t.status === 'confirmed').map((t) => `${t.table}.${t.column}:${t.kind}`),
      ['customers.churned:binary'],
    );

    // A correction carries the old value.
    assert.equal((await fathom(dir, 'tag', 'support_tickets.satisfaction', '--type', 'numeric')).code, 0);
    assert.equal((await fathom(dir, 'tag', 'support_tickets.satisfaction', '--type', 'categorical')).code, 0);
    const log = await reviewLog(dir);
    assert.equal(log.length, 3);
    const last = log.find((e) => e.metadataVersion === 3)!;
    assert.equal(last.detail.by, 'alice');
    assert.ok(!Number.isNaN(Date.parse(last.detail.at)));
    assert.equal(last.detail.changes[0]!.old && (last.detail.changes[0]!.old as { value: string }).value, 'numeric');
    assert.equal(last.detail.changes[0]!.new.value, 'categorical');
    const sat = column(await catalogOf(dir), 'support_tickets', 'satisfaction');
    assert.equal(sat.status, 'confirmed');
    assert.equal(sat.reviewedBy?.by, 'alice');

    // The same decision again changes nothing and records nothing.
    const again = await fathom(dir, 'tag', 'support_tickets.satisfaction', '--type', 'categorical', '--json');
    assert.equal(again.json().seq, null);
    assert.equal((await reviewLog(dir)).length, 3);
  });
});

test('tag rejects bad input with a message that names it, and records nothing', async () => {
  await project(async (dir) => {
    assert.equal((await fathom(dir, 'tag', 'customers.churned', '--target')).code, 0);
    const cases: Array<[string[], RegExp]> = [
      [['tag', 'nosuch.x', '--ignore'], /No explored table named nosuch/],
      [['tag', 'customers.nosuch', '--ignore'], /customers has no column "nosuch"/],
      [
        ['tag', 'orders.customer_id', '--references', 'products.product_id'],
        /orders\.customer_id \(BIGINT\) cannot refer to products\.product_id \(VARCHAR\): the types are incompatible/,
      ],
      [
        ['tag', 'orders.status', '--references', 'products.category'],
        /No value of orders\.status is found in products\.category/,
      ],
      [
        ['tag', 'orders.total_amount', '--target'],
        /Two targets would be confirmed: customers\.churned and orders\.total_amount/,
      ],
      [['tag', 'customers.plan', '--primary-key'], /customers\.plan cannot identify rows/],
      [['tag', 'customers.country', '--time-index'], /not a date or timestamp/],
      [['tag', 'customers.country', '--target', '--kind', 'regression'], /regression target must be numeric/],
      [['tag', 'customers.churned', '--ignore'], /both the target and ignored/],
      [['tag', 'customers'], /Nothing to record/],
    ];
    for (const [args, message] of cases) {
      const run = await fathom(dir, ...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.match(run.stderr, /fix: /, `${args.join(' ')} says how to fix it`);
    }
    assert.equal((await reviewLog(dir)).length, 1, 'no bad call recorded anything');
    assert.equal((await catalogOf(dir)).metadataVersion, 1);
  });
});

test('metadata export and apply: a reviewed file is recorded as one action, all or nothing, and applying it again changes nothing', async () => {
  await project(async (dir) => {
    const exported = await fathom(dir, 'metadata', 'export');
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /^# Fathom metadata/);
    // A reviewer's edits: confirm the churn target, ignore the leak, reject a relationship,
    // confirm the composite key, correct a type.
    let text = exported.stdout
      .replace(/(column: customers\.churned, kind: binary, status: )suggested/, '$1confirmed')
      .replace(
        /(cancellation_reason: \{ type: \w+, status: )suggested(, confidence: [\d.]+)/,
        '$1confirmed$2, ignore: true',
      )
      .replace(/(from: support_tickets\.customer_id, to: customers\.customer_id, status: )suggested/, '$1rejected')
      .replace(/(columns: \[ order_id, line_no \], status: )suggested/, '$1confirmed')
      .replace(/(satisfaction: \{ type: )categorical(, status: )suggested/, '$1numeric$2confirmed');
    assert.equal(
      text.split('\n').filter((l) => !l.startsWith('#') && /status: (confirmed|rejected)/.test(l)).length,
      5,
      'the edits matched the exported layout',
    );
    await writeFile(join(dir, 'metadata.yaml'), text);
    const applied = await fathom(dir, 'metadata', 'apply', 'metadata.yaml', '--json');
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.json().version, 1, 'one batch, one version');
    assert.equal(applied.json().changes.length, 6);
    const c = await catalogOf(dir);
    assert.equal(c.targets.find((t) => t.column === 'churned')!.status, 'confirmed');
    assert.equal(column(c, 'customers', 'cancellation_reason').ignored, true);
    assert.equal(rel(c, 'support_tickets.customer_id')!.status, 'rejected');
    assert.equal(c.tables.find((t) => t.name === 'order_items')!.primaryKey!.status, 'confirmed');
    assert.equal(column(c, 'support_tickets', 'satisfaction').semanticType, 'numeric');
    assert.equal(
      column(c, 'support_tickets', 'satisfaction').proposed?.semanticType,
      'categorical',
      "exploration's proposal stays beside the correction",
    );

    const again = await fathom(dir, 'metadata', 'apply', 'metadata.yaml', '--json');
    assert.equal(again.json().changes.length, 0);
    assert.equal((await reviewLog(dir)).length, 1);

    // A file whose valid edits come with a second target is refused whole.
    text = (await fathom(dir, 'metadata', 'export')).stdout
      .replace(/(column: orders\.status, kind: binary, status: )suggested/, '$1confirmed')
      .replace(/(product_name: \{ type: )text(, status: )suggested/, '$1categorical$2confirmed');
    await writeFile(join(dir, 'two.yaml'), text);
    const two = await fathom(dir, 'metadata', 'apply', 'two.yaml');
    assert.equal(two.code, 2);
    assert.match(two.stderr, /Two targets would be confirmed: customers\.churned and orders\.status/);
    assert.match(
      text,
      /product_name: \{ type: categorical, status: confirmed/,
      'the refused file also held a valid edit',
    );
    assert.equal(column(await catalogOf(dir), 'products', 'product_name').semanticType, 'text', 'no partial change');

    const bad: Array<[string, RegExp]> = [
      ['version: 1\ntables: [\n', /bad\.yaml:\d+: invalid YAML/],
      [
        'version: 1\ntables:\n  - name: customers\n    source: shop\n    columns:\n      age: { type: number, status: confirmed }\n',
        /bad\.yaml: tables\[0\]\.columns\.age\.type/,
      ],
      [
        'version: 1\ntables:\n  - name: customers\n    source: shop\n    columns:\n      agee: { type: numeric, status: confirmed }\n',
        /bad\.yaml: tables\[0\] \(customers\): table customers has no column "agee"/,
      ],
      [
        'version: 1\ntables: []\nrelationships:\n  - { from: orders.customer_id, to: products.product_id, status: confirmed }\n',
        /types are incompatible/,
      ],
    ];
    for (const [body, message] of bad) {
      await writeFile(join(dir, 'bad.yaml'), body);
      const run = await fathom(dir, 'metadata', 'apply', 'bad.yaml');
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    }
    assert.equal((await reviewLog(dir)).length, 1, 'bad files recorded nothing');
  });
});

test('interactive review is driven through the real prompt: accept, reject, change, ignore, quit', async () => {
  await project(async (dir) => {
    const list = (await fathom(dir, 'review', '--list', '--json')).json().pending as Array<{
      fact: string;
      text: string;
      confidence: number;
    }>;
    assert.ok(list.length > 20);
    for (let i = 1; i < list.length; i++)
      assert.ok(list[i - 1]!.confidence <= list[i]!.confidence, 'least confident first');
    // The first four proposals are the weakest target candidates. Answers: reject the first,
    // give a bad answer then change the second into the real target, skip, then quit.
    const answers = ['r', 'x', 'c', 'customers.churned binary', 's', 'q'].join('\n') + '\n';
    const r = spawnSync(process.execPath, [repoPath('bin', 'fathom.js'), 'review'], {
      cwd: dir,
      input: answers,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /\[1\/\d+\] target/);
    assert.match(r.stderr, /"x" is not an answer here/);
    const log = await reviewLog(dir);
    assert.equal(log.length, 2, r.stderr);
    const c = await catalogOf(dir);
    assert.equal(c.targets.find((t) => `${t.table}.${t.column}` === list[0]!.text.split(' ')[0])!.status, 'rejected');
    assert.deepEqual(
      c.targets.filter((t) => t.status === 'confirmed').map((t) => `${t.table}.${t.column}`),
      ['customers.churned'],
    );
    assert.match(
      r.stdout,
      /3 decisions recorded; metadata v2/,
      'a reject, then a change that rejects the candidate and confirms the real target',
    );

    // Answers that ignore a column, and end of input in the middle (same as quitting).
    const next = (await fathom(dir, 'review', '--list', '--json')).json().pending as Array<{
      fact: string;
      text: string;
    }>;
    const firstColumn = next.findIndex((p) => p.fact === 'semanticType');
    const r2 = spawnSync(process.execPath, [repoPath('bin', 'fathom.js'), 'review'], {
      cwd: dir,
      input: `${'s\n'.repeat(firstColumn)}i\na\n`,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    assert.equal(r2.status, 0, r2.stderr);
    const ignored = next[firstColumn]!.text.split(' ')[0]!;
    const [table, name] = ignored.split('.');
    assert.equal(column(await catalogOf(dir), table!, name!).ignored, true, r2.stderr);
    assert.equal((await reviewLog(dir)).length, 4);
  });
});

test('--accept-above accepts only confident proposals and one target; --yes accepts the rest', async () => {
  await project(async (dir) => {
    const before = (await fathom(dir, 'review', '--list', '--json')).json().pending as Array<{
      confidence: number;
      fact: string;
    }>;
    const run = await fathom(dir, 'review', '--accept-above', '0.9', '--json');
    assert.equal(run.code, 0, run.stderr);
    const confident =
      before.filter((p) => p.confidence >= 0.9 && p.fact !== 'target').length +
      (before.some((p) => p.fact === 'target' && p.confidence >= 0.9) ? 1 : 0);
    assert.equal(run.json().accepted, confident);
    const after = (await fathom(dir, 'review', '--list', '--json')).json().pending as Array<{
      confidence: number;
      fact: string;
    }>;
    assert.ok(
      after.every((p) => p.confidence < 0.9),
      'nothing confident is left',
    );
    assert.ok(after.length > 0);
    assert.equal((await fathom(dir, 'review', '--yes')).code, 0);
    assert.equal(((await fathom(dir, 'review', '--list', '--json')).json().pending as unknown[]).length, 0);
    const c = await catalogOf(dir);
    assert.equal(c.targets.filter((t) => t.status === 'confirmed').length, 1);
  });
});

test('a confirmed fact survives a new exploration; the new proposal is kept beside it', async () => {
  await project(async (dir) => {
    assert.equal((await fathom(dir, 'tag', 'support_tickets.satisfaction', '--type', 'numeric')).code, 0);
    assert.equal((await fathom(dir, 'tag', 'orders.ordered_at', '--not-time-index')).code, 0);
    await appendFile(join(dir, 'shop', 'support_tickets.csv'), '99999,1,2025-06-01 10:00:00,email,3\n');
    const explored = await fathom(dir, 'explore', '-q');
    assert.equal(explored.code, 0, explored.stderr);
    const c = await catalogOf(dir);
    const sat = column(c, 'support_tickets', 'satisfaction');
    assert.equal(c.tables.find((t) => t.name === 'support_tickets')!.rows, 8924, 'the new row was explored');
    assert.equal(sat.semanticType, 'numeric');
    assert.equal(sat.status, 'confirmed');
    assert.equal(sat.proposed?.semanticType, 'categorical');
    assert.equal(c.tables.find((t) => t.name === 'orders')!.timeIndex!.status, 'rejected');
    assert.equal((await fathom(dir, 'tag', 'returns.order_id,line_no', '--primary-key')).code, 0);
    const returnsKey = (await catalogOf(dir)).tables.find((t) => t.name === 'returns')!.primaryKey!;
    assert.deepEqual(
      [returnsKey.columns, returnsKey.status, returnsKey.proposed?.columns],
      [['order_id', 'line_no'], 'confirmed', ['return_id']],
    );
    assert.equal((await readFile(join(dir, 'shop', 'support_tickets.csv'), 'utf8')).trimEnd().split('\n').length, 8925);
  });
});

test('train uses review: the confirmed target by default, ignored columns left out, the version it used recorded', async () => {
  await project(async (dir) => {
    assert.equal((await fathom(dir, 'tag', 'customers.churned', '--target')).code, 0);
    assert.equal((await fathom(dir, 'tag', 'customers.cancellation_reason', '--ignore')).code, 0);
    // A decision about another table does not change what training on customers used.
    assert.equal((await fathom(dir, 'tag', 'orders.channel', '--type', 'categorical')).code, 0);
    const run = await fathom(dir, 'train', '--budget-units', '20000000', '--models', 'linear', '--json');
    assert.equal(run.code, 0, run.stderr);
    const card = run.json().card;
    assert.equal(card.data.table, 'customers');
    assert.deepEqual([card.target.column, card.target.task], ['churned', 'binary']);
    assert.equal(card.data.metadataVersion, 2);
    const dropped = JSON.stringify(card);
    assert.match(dropped, /"column":"cancellation_reason","reason":"ignored in metadata review"/);
    assert.match(run.stderr, /target customers\.churned \(confirmed in review\)/);
  });
});

test('on the demo, confirming the target and exploring again gives round two, with the planted leak as a suspect', async () => {
  await project(async (dir) => {
    const before = await fathom(dir, 'explore', '--json', '-q');
    assert.equal(before.json().roundTwo, null, 'no round two before a target is confirmed');
    assert.equal((await fathom(dir, 'tag', 'customers.churned', '--target')).code, 0);
    const run = await fathom(dir, 'explore', '--json', '-q');
    assert.equal(run.code, 0, run.stderr);
    const two = run.json().roundTwo;
    assert.equal(two.reused, false);
    assert.equal(two.metadataVersion, 1);
    assert.deepEqual(
      two.leakage.map((l: { table: string; column: string }) => `${l.table}.${l.column}`),
      ['customers.cancellation_reason'],
    );
    assert.ok(two.targetSummary, 'class balance');
    assert.ok(two.relationships.length >= 4, 'relationship statistics');
    assert.ok(
      two.proposals.some((p: { name?: string; text?: string }) =>
        /days since customers\.signed_up_at/.test(JSON.stringify(p)),
      ),
    );
    const c = await catalogOf(dir);
    assert.ok(column(c, 'customers', 'cancellation_reason').alerts.some((a) => a.kind === 'leakage_suspect'));
    assert.equal(c.roundTwo?.metadataVersion, 1);

    // Unchanged: reused. Ignoring the leak is a new version: round two runs again without it.
    assert.equal((await fathom(dir, 'explore', '--json', '-q')).json().roundTwo.reused, true);
    assert.equal((await fathom(dir, 'tag', 'customers.cancellation_reason', '--ignore')).code, 0);
    assert.equal((await catalogOf(dir)).roundTwo, undefined, 'a result for an older metadata version is not shown');
    const again = (await fathom(dir, 'explore', '--json', '-q')).json().roundTwo;
    assert.equal(again.reused, false);
    assert.deepEqual(again.leakage, []);

    const report = await fathom(dir, 'report', '--out', 'report.html');
    assert.equal(report.code, 0, report.stderr);
    assert.match(await readFile(join(dir, 'report.html'), 'utf8'), /id="round-two"/);
  });
});
