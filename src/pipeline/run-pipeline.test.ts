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
import type { PlanReport } from './plan-project.js';

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

/**
 * What the plan said, against what the ledger recorded when the run that followed did it:
 * a node planned reused never ran; a node planned stale or ready ran (the very action, when
 * the plan knew it exactly); and whatever ran was planned to run, or is of a kind the plan
 * knew would run again (later training rounds, and actions planned provisionally).
 */
function assertPlanMatchesLedger(plan: PlanReport, after: readonly LogEntry[]): void {
  const started = new Set(ran(after).map((e) => e.fingerprint));
  const succeeded = after.filter((e) => e.status === 'succeeded');
  const queued = plan.nodes.filter((n) => n.runs === 'queue');
  for (const n of queued.filter((x) => x.state === 'reused' && x.fingerprint !== null)) {
    assert.ok(!started.has(n.fingerprint), `${n.id} was planned reused, but it ran`);
  }
  const toRun = queued.filter((n) => n.state === 'stale' || n.state === 'ready');
  for (const n of toRun) {
    if (n.fingerprint !== null && !n.provisional) {
      assert.ok(
        succeeded.some((e) => e.fingerprint === n.fingerprint),
        `${n.id} was planned to run, but did not`,
      );
    } else {
      assert.ok(
        succeeded.some((e) => e.kind === n.kind),
        `${n.id} (${n.kind}) was planned to run, but none of its kind ran`,
      );
    }
  }
  const planned = new Set(toRun.map((n) => n.fingerprint));
  const kinds = new Set(toRun.map((n) => n.kind));
  for (const e of succeeded.filter((x) => x.kind !== 'source.connect')) {
    assert.ok(
      planned.has(e.fingerprint) || kinds.has(e.kind),
      `${e.kind} ${e.fingerprint?.slice(0, 12)} ran unplanned`,
    );
  }
}

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

test('fathom run: raw files to a model in production; a re-run does no work; after an edit, fathom plan names exactly what the run then does', async () => {
  await withTempDir('run', async (dir) => {
    await cp(repoPath('examples/shop'), join(dir, 'shop'), { recursive: true });
    const fathom = (...args: string[]) => runFathomOk(args, { cwd: dir, env });

    // Before anything is connected, the plan shows the whole flow waiting on the connection.
    await fathom('init', '-q');
    const fresh: PlanReport = (await fathom('plan', 'shop', '--yes', ...budget, '--json')).json();
    assert.equal(fresh.nodes.find((n) => n.id === 'source.connect shop')?.state, 'ready');
    assert.ok(fresh.nodes.filter((n) => n.kind === 'explore.profile').every((n) => n.state === 'blocked'));
    assert.equal(fresh.nodes.filter((n) => n.kind === 'explore.profile').length, 6);

    const first = (await fathom('run', 'shop', '--yes', ...budget, '--json')).json();
    assert.equal(first.stoppedAt, null);
    assert.deepEqual(
      [first.model.name, first.model.version, first.model.stage],
      ['customers.churned', 1, 'production'],
    );
    assert.match(
      first.call,
      /curl -s -X POST http:\/\/127\.0\.0\.1:8080\/v1\/models\/customers\.churned\/predict[\s\S]*"customer_id":1\b/,
    );
    const all = await entriesAfter(dir, 0);
    for (const k of [
      'source.connect',
      'explore.profile',
      'explore.relate',
      'explore.insight',
      'features.synthesize',
      'features.matrix',
      'features.select',
      'learn.dataset',
      'learn.trial',
      'learn.train',
    ])
      assert.ok(ranKinds(all).includes(k), `${k} ran on the first run`);
    assert.deepEqual(
      all.filter((e) => ['learn.search', 'deploy.register', 'deploy.promote'].includes(e.kind)).map((e) => e.kind),
      ['learn.search', 'deploy.register', 'deploy.promote'],
    );

    // Unchanged: the plan is all reused, and the run does nothing but record itself.
    const idle: PlanReport = (await fathom('plan', 'shop', '--yes', ...budget, '--json')).json();
    assert.deepEqual(
      idle.nodes.filter((n) => n.state !== 'reused').map((n) => `${n.id}: ${n.state}`),
      [],
    );
    const again = (await fathom('run', 'shop', '--yes', ...budget, '--json')).json();
    assert.equal(again.nothingRan, true);
    const second = await entriesAfter(dir, first.seq);
    assert.deepEqual(
      ran(second).map((e) => e.kind),
      [],
    );
    assert.deepEqual(
      second.filter((e) => e.status === 'recorded').map((e) => e.kind),
      ['pipeline.run'],
    );

    await serveOnce(dir);

    // orders.csv feeds the features: the plan names what is stale and why, and exactly that runs.
    await editLastField(join(dir, 'shop', 'orders.csv'), '100000');
    const plan: PlanReport = (await fathom('plan', 'shop', '--yes', ...budget, '--json')).json();
    const state = (id: string) => plan.nodes.find((n) => n.id === id)?.state;
    assert.equal(state('explore.profile shop.orders'), 'stale');
    assert.match(
      plan.nodes.find((n) => n.id === 'explore.profile shop.orders')!.reason!,
      /^orders\.csv changed since entry \d+$/,
    );
    for (const t of ['customers', 'order_items', 'products', 'returns', 'support_tickets'])
      assert.equal(state(`explore.profile shop.${t}`), 'reused', t);
    for (const id of [
      'explore.relate',
      'explore.insight',
      'features.synthesize',
      'features.matrix',
      'features.select',
      'learn.dataset customers.churned',
      'learn.train customers.churned',
      'deploy.register customers.churned',
      'deploy.promote customers.churned',
    ])
      assert.equal(state(id), 'stale', id);
    assert.ok(plan.nodes.filter((n) => n.kind === 'learn.trial').every((n) => n.state === 'stale'));
    const fourth = (await fathom('run', 'shop', '--yes', ...budget, '--json')).json();
    const fourthEntries = await entriesAfter(dir, plan.headSeq);
    assertPlanMatchesLedger(plan, fourthEntries);
    assert.deepEqual(
      ran(fourthEntries)
        .filter((e) => e.kind === 'explore.profile' && e.status === 'succeeded')
        .map((e) => (e.params as { table: string }).table),
      ['orders'],
    );
    // A budget in work units and a seed make training deterministic: this edit changes the model.
    assert.equal(fourth.model.version, 2);
    const models = (await fathom('models', '--json')).json().models as Array<{ version: number; stage: string }>;
    assert.deepEqual(
      models.map((m) => [m.version, m.stage]),
      [
        [1, 'archived'],
        [2, 'production'],
      ],
    );

    // returns.csv is explored, but no feature reads it: the matrix and the training stay.
    await editLastField(join(dir, 'shop', 'returns.csv'), 'edited');
    const plan2: PlanReport = (await fathom('plan', 'shop', '--yes', ...budget, '--json')).json();
    const state2 = (id: string) => plan2.nodes.find((n) => n.id === id)?.state;
    assert.equal(state2('explore.profile shop.returns'), 'stale');
    assert.equal(state2('features.matrix'), 'reused');
    assert.equal(state2('learn.dataset customers.churned'), 'reused');
    await fathom('run', 'shop', '--yes', ...budget, '--json');
    const fifth = await entriesAfter(dir, plan2.headSeq);
    assertPlanMatchesLedger(plan2, fifth);
    for (const k of ['features.matrix', 'learn.dataset', 'learn.trial', 'learn.train'])
      assert.ok(!ranKinds(fifth).includes(k), `${k} must be reused when only returns.csv changed`);
  });
});

test('fathom run without --yes stops at review; after fathom review it goes on from the gate; production waits for approval', async () => {
  await withTempDir('run-review', async (dir) => {
    await cp(repoPath('examples/shop'), join(dir, 'shop'), { recursive: true });
    const stopped = (await runFathomOk(['run', 'shop', ...budget, '--json'], { cwd: dir, env })).json();
    assert.equal(stopped.stoppedAt, 'review');
    assert.equal(stopped.model, null);
    assert.match(stopped.stoppedReason, /proposals wait for a person: fathom review/);
    const atGate = await entriesAfter(dir, 0);
    assert.ok(!ranKinds(atGate).includes('learn.trial'), 'nothing is trained before review');
    assert.deepEqual(
      atGate.filter((e) => e.kind === 'pipeline.run').map((e) => (e.detail as { stoppedAt: string }).stoppedAt),
      ['review'],
      'the stop is recorded',
    );

    // The person reviews; the next run goes on from the gate: nothing is explored again.
    await runFathomOk(['review', '--yes', '-q'], { cwd: dir, env });
    const from = Math.max(...(await entriesAfter(dir, 0)).map((e) => e.seq));
    const out = (await runFathomOk(['run', 'shop', ...budget, '--json'], { cwd: dir, env })).json();
    assert.equal(out.stoppedAt, 'promote');
    assert.equal(out.model.stage, 'candidate');
    assert.match(out.stoppedReason, /fathom promote customers\.churned@1 production --yes/);
    const went = await entriesAfter(dir, from);
    assert.ok(!ranKinds(went).includes('explore.profile') && !ranKinds(went).includes('explore.relate'));
    assert.ok(ranKinds(went).includes('learn.trial'));

    // Approved by the person: the next run has nothing left to do.
    await runFathomOk(['promote', 'customers.churned@1', 'production', '--yes', '-q'], { cwd: dir, env });
    const done = (await runFathomOk(['run', 'shop', ...budget, '--json'], { cwd: dir, env })).json();
    assert.deepEqual([done.stoppedAt, done.nothingRan, done.model.stage], [null, true, 'production']);

    const bad = await runFathom(['run', 'shop', '--accept-above', '2'], { cwd: dir, env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--accept-above must be a number from 0 to 1/);
  });
});
