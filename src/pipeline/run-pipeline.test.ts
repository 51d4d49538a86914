import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { withTempDir } from '../testing/temp-dir.js';
import { repoPath } from '../testing/repo-path.js';
import { runFathom, runFathomOk } from '../testing/run-cli.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import type { LogEntry } from '../ledger/ledger-store.js';

const env = { FATHOM_USER: 'tester' };
const budget = ['--budget-units', '20000000', '--models', 'gbdt', '--seed', '1'];

/** Every ledger entry after `seq`. */
async function entriesAfter(dir: string, seq: number): Promise<LogEntry[]> {
  const ws = await openWorkspace(dir);
  try {
    return await (await ws.ledger()).entries({ afterSeq: seq, limit: 100_000 });
  } finally {
    await ws.close();
  }
}

const ran = (entries: readonly LogEntry[]) => entries.filter((e) => e.status === 'succeeded' || e.status === 'started');
const ranKinds = (entries: readonly LogEntry[]) => [...new Set(ran(entries).map((e) => e.kind))].sort();

/** `fathom run shop --yes --serve` in a child process: call the printed URL, then stop it with SIGTERM. */
async function serveOnce(dir: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [repoPath('bin/fathom.js'), 'run', 'shop', '--yes', ...budget, '--serve', '--port', '0'],
    { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /Serving customers\.churned@1 \(production\) at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`run --serve exited before serving: ${stderr}`)));
  });
  const r = await fetch(`${url}/v1/models/customers.churned/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entities: [{ customer_id: 5, cutoff: '2025-06-30' }] }),
  });
  const body = (await r.json()) as { predictions: Array<{ probability: number }> };
  assert.equal(r.status, 200);
  assert.ok(body.predictions[0]!.probability >= 0 && body.predictions[0]!.probability <= 1);
  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);
  // Where the model was live, and when it stopped, is in the ledger.
  const served = (await entriesAfter(dir, 0))
    .filter((e) => e.kind === 'deploy.serve')
    .map((e) => e.detail as { url: string; status: string; models: string[] });
  assert.deepEqual(
    served.map((d) => [d.url, d.status, d.models]),
    [
      [url, 'serving', ['customers.churned@1']],
      [url, 'stopped', ['customers.churned@1']],
    ],
  );
}

/** Change one value on the first data row of a CSV (the last field). */
async function editLastField(file: string, value: string): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines[1] = lines[1]!.replace(/,[^,]*$/, `,${value}`);
  await writeFile(file, lines.join('\n'));
}

test('fathom run: raw files to a model in production; a re-run does no work; an edited file re-runs only what depends on it', async () => {
  await withTempDir('run', async (dir) => {
    await cp(repoPath('examples/shop'), join(dir, 'shop'), { recursive: true });
    const fathom = (...args: string[]) => runFathomOk(args, { cwd: dir, env });

    const first = (await fathom('run', 'shop', '--yes', ...budget, '--json')).json();
    assert.equal(first.stoppedAt, null);
    assert.equal(first.model.name, 'customers.churned');
    assert.equal(first.model.version, 1);
    assert.equal(first.model.stage, 'production');
    assert.deepEqual(
      first.steps.map((s: { step: string }) => s.step),
      ['connect', 'explore', 'review', 'explore round two', 'features', 'train', 'register', 'promote'],
    );
    assert.match(
      first.call,
      /curl -s -X POST http:\/\/127\.0\.0\.1:8080\/v1\/models\/customers\.churned\/predict[\s\S]*"customer_id":1\b/,
    );
    const kinds1 = ranKinds(await entriesAfter(dir, 0));
    for (const k of [
      'source.connect',
      'explore.profile',
      'explore.relate',
      'explore.insight',
      'features.matrix',
      'features.select',
      'learn.trial',
      'learn.train',
    ])
      assert.ok(kinds1.includes(k), `${k} ran on the first run`);
    const registered = (await entriesAfter(dir, 0)).filter(
      (e) => e.kind === 'deploy.register' || e.kind === 'deploy.promote',
    );
    assert.deepEqual(
      registered.map((e) => e.kind),
      ['deploy.register', 'deploy.promote'],
    );

    // Unchanged: nothing runs, only reuse (and the pipeline's own record).
    const again = (await fathom('run', 'shop', '--yes', ...budget, '--json')).json();
    assert.equal(again.nothingRan, true);
    const second = await entriesAfter(dir, first.seq);
    assert.deepEqual(
      ran(second),
      [],
      `nothing ran: ${ran(second)
        .map((e) => e.kind)
        .join(', ')}`,
    );
    assert.ok(second.filter((e) => e.status === 'reused').length >= 20);
    assert.deepEqual(
      second.filter((e) => e.status === 'recorded').map((e) => e.kind),
      ['pipeline.run'],
    );

    // --serve: the same (reused) pipeline, then the model answers over HTTP until SIGTERM.
    await serveOnce(dir);

    // returns.csv is explored but no feature reads it: its profile and the cross-table actions run, nothing downstream.
    await editLastField(join(dir, 'shop', 'returns.csv'), 'edited');
    const third = (await fathom('run', 'shop', '--yes', ...budget, '--json')).json();
    const thirdEntries = await entriesAfter(dir, again.seq);
    assert.deepEqual(
      ran(thirdEntries)
        .filter((e) => e.kind === 'explore.profile' && e.status === 'succeeded')
        .map((e) => (e.params as { table: string }).table),
      ['returns'],
    );
    for (const k of ['features.matrix', 'learn.trial', 'learn.train'])
      assert.ok(!ranKinds(thirdEntries).includes(k), `${k} must be reused when only returns.csv changed`);
    assert.equal(third.model.version, 1);

    // orders.csv feeds the features: its profile, the matrix and the training run again; a new version replaces v1.
    await editLastField(join(dir, 'shop', 'orders.csv'), '100000');
    const fourth = (await fathom('run', 'shop', '--yes', ...budget, '--json')).json();
    const fourthEntries = await entriesAfter(dir, third.seq);
    assert.deepEqual(
      ran(fourthEntries)
        .filter((e) => e.kind === 'explore.profile' && e.status === 'succeeded')
        .map((e) => (e.params as { table: string }).table),
      ['orders'],
    );
    for (const k of ['features.matrix', 'learn.train'])
      assert.ok(ranKinds(fourthEntries).includes(k), `${k} must run when orders.csv changed`);
    const models = (await fathom('models', '--json')).json().models as Array<{ version: number; stage: string }>;
    // A budget in work units and a seed make training deterministic: this edit changes the model.
    assert.equal(fourth.model.version, 2);
    assert.deepEqual(
      models.map((m) => [m.version, m.stage]),
      [
        [1, 'archived'],
        [2, 'production'],
      ],
    );
  });
});

test('fathom run without --yes stops at review for a person, and a new version waits for approval', async () => {
  await withTempDir('run-review', async (dir) => {
    await cp(repoPath('examples/shop'), join(dir, 'shop'), { recursive: true });
    const stopped = await runFathomOk(['run', 'shop', ...budget, '--json'], { cwd: dir, env });
    const doc = stopped.json();
    assert.equal(doc.stoppedAt, 'review');
    assert.equal(doc.model, null);
    assert.ok(!doc.steps.some((s: { step: string }) => s.step === 'train'), 'nothing is trained before review');
    assert.match(
      doc.steps.find((s: { step: string }) => s.step === 'review').detail,
      /wait for a person: fathom review/,
    );

    // Accepting the confident proposals and naming the target goes on to train, but production needs a yes.
    const run = await runFathomOk(
      ['run', 'shop', '--target', 'customers.churned', '--accept-above', '0.9', ...budget, '--json'],
      { cwd: dir, env },
    );
    const out = run.json();
    assert.equal(out.stoppedAt, 'promote');
    assert.equal(out.model.stage, 'candidate');
    assert.match(out.steps.at(-1).detail, /fathom promote customers\.churned@1 production --yes/);

    const bad = await runFathom(['run', 'shop', '--accept-above', '2'], { cwd: dir, env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--accept-above must be a number from 0 to 1/);
  });
});
