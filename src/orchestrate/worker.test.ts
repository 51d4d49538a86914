import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathom } from '../testing/run-cli.js';
import { canonicalJson, sha256 } from '../util/hash.js';
import { sqliteTamper } from '../ledger/sqlite/sqlite-tamper.fixture.js';
import { FathomError } from '../util/fathom-error.js';
import { ACTIONS, type ActionRecord } from './run-action.js';
import { runPlan } from './run-plan.js';
import { runWorker } from './worker.js';
import { makePlan, planAction } from './plan.js';
import { budgetKind, sumKind, whereKind } from './test-kinds.fixture.js';
import { makeProject, spawnWorker, sumDag, succeededOnce } from './worker.fixture.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runPlan in this process', () => {
  it('runs a DAG in dependency order, hands upstream outputs on, and reuses everything the second time', async () => {
    await withTempDir('plan', async (dir) => {
      const ws = await makeProject(dir);
      try {
        const { plan, expected } = sumDag(12);
        const first = await runPlan(ws, plan, { workers: 0 });
        assert.deepEqual([first.total, first.done, first.failed], [12, 12, []]);
        const ledger = await ws.ledger();
        const sums = new Map((await ledger.listState<number>('test-sums')).map((r) => [Number(r.key), r.value]));
        assert.deepEqual(sums, expected);
        const again = await runPlan(ws, plan, { workers: 0 });
        assert.equal(again.done, 12);
        assert.equal((await ledger.entries({ status: 'reused', limit: 100 })).length, 12);
        assert.deepEqual((await succeededOnce(ledger, plan)).missing, []);
        assert.equal((await ledger.verify()).ok, true);
      } finally {
        await ws.close();
      }
    });
  });

  it('hands a queued stop time to the run; out of time, the action fails at once, never retried', async () => {
    await withTempDir('plan-stop', async (dir) => {
      const ws = await makeProject(dir);
      try {
        const later = Date.now() + 3_600_000;
        const inTime = planAction(budgetKind, { n: 1 }, [], { stopAt: later });
        const late = planAction(budgetKind, { n: 2 }, [], { stopAt: Date.now() - 1 });
        const outcome = await runPlan(ws, makePlan([inTime, late]), { workers: 0, backoffSeconds: 0 });
        assert.deepEqual(
          outcome.failed.map((f) => [f.fingerprint, /deadline/.test(f.error ?? '')]),
          [[late.fingerprint, true]],
        );
        const ledger = await ws.ledger();
        const rec = (fp: string) => ledger.getState<ActionRecord>(ACTIONS, fp);
        const out = await (
          await ws.objects()
        ).getJson<{ stopAt: number }>((await rec(inTime.fingerprint))!.value.output!);
        assert.equal(out.stopAt, later, 'the run saw the stop time it was queued with');
        const rows = await ledger.queue.rows([late.fingerprint]);
        assert.deepEqual(
          rows.map((r) => [r.state, r.attempts]),
          [['failed', 1]],
          'one attempt: retrying cannot give it more time',
        );
        assert.equal((await rec(late.fingerprint))!.value.stopped, true);
      } finally {
        await ws.close();
      }
    });
  });

  it('records an action whose kind no worker knows as failed, with its dependents, instead of stalling', async () => {
    await withTempDir('plan-unknown', async (dir) => {
      const ws = await makeProject(dir);
      try {
        const unknown = planAction({ kind: 'test.nobody-registers-this', version: '1' }, {}, [], { maxAttempts: 1 });
        const down = planAction(sumKind, { n: 1 }, [unknown]);
        const outcome = await runPlan(ws, makePlan([unknown, down]), { workers: 0 });
        assert.equal(outcome.done, 0);
        assert.deepEqual(outcome.failed.map((f) => f.kind).sort(), ['test.nobody-registers-this', 'test.sum']);
        assert.match(
          outcome.failed.find((f) => f.kind !== 'test.sum')?.error ?? '',
          /no action kind 'test.nobody-registers-this' is registered/,
        );
        assert.match(outcome.failed.find((f) => f.kind === 'test.sum')?.error ?? '', /dependency .* failed/);
      } finally {
        await ws.close();
      }
    });
  });

  it('effectively once: a worker that died after storing its output but before committing leaves the same object', async () => {
    await withTempDir('plan-twice', async (dir) => {
      const ws = await makeProject(dir);
      try {
        const ledger = await ws.ledger();
        const objects = await ws.objects();
        const action = planAction(sumKind, { n: 7 });
        await ledger.queue.enqueue([action]);
        const short = { leaseSeconds: 0.2, backoffSeconds: 0 };
        // What the dead worker did: claim, run, store the output, then nothing.
        await ledger.queue.claim('dead', short);
        const deadOutput = await objects.put(canonicalJson(await sumKind.run({} as never, { n: 7 }, [])));
        await sleep(300);
        const summary = await runWorker({ ledger, objects }, { id: 'alive', once: true, ...short });
        assert.equal(summary.succeeded, 1);
        const rec = await ledger.getState<ActionRecord>(ACTIONS, action.fingerprint);
        assert.equal(rec?.value.output, deadOutput, 'the second run wrote the same content address');
        assert.equal(deadOutput, sha256(canonicalJson({ n: 7, total: 7 })));
        assert.deepEqual(await readdir(join(dir, '.fathom', 'objects')), [deadOutput]);
        assert.equal((await ledger.queue.rows([action.fingerprint]))[0]?.attempts, 2);
      } finally {
        await ws.close();
      }
    });
  });
});

describe('runWorker', () => {
  it('retries a failing action with backoff until it succeeds, each failure recorded', async () => {
    await withTempDir('retry', async (dir) => {
      const ws = await makeProject(dir);
      try {
        const markerDir = join(dir, 'markers');
        await mkdir(markerDir);
        const flaky = planAction(sumKind, { n: 5, markerDir, failUntilAttempt: 3 });
        const outcome = await runPlan(ws, makePlan([flaky]), { workers: 0, backoffSeconds: 0.01 });
        assert.deepEqual([outcome.done, outcome.failed], [1, []]);
        const ledger = await ws.ledger();
        assert.deepEqual(
          (await ledger.entries({ fingerprint: flaky.fingerprint })).map((e) => e.status),
          ['started', 'failed', 'started', 'failed', 'started', 'succeeded'],
        );
        assert.match((await ledger.entries({ status: 'failed' }))[1]?.error ?? '', /flaky 5: run 2 fails/);
        assert.equal((await ledger.queue.rows([flaky.fingerprint]))[0]?.attempts, 3);
      } finally {
        await ws.close();
      }
    });
  });

  it('runs several actions at once with --concurrency', async () => {
    await withTempDir('concurrency', async (dir) => {
      const ws = await makeProject(dir);
      try {
        const ledger = await ws.ledger();
        const actions = [1, 2, 3].map((n) => planAction(sumKind, { n, sleepMs: 500 }));
        await ledger.queue.enqueue(actions);
        const summary = await runWorker(
          { ledger, objects: await ws.objects() },
          { id: 'busy', concurrency: 3, idleExitSeconds: 0.2 },
        );
        assert.equal(summary.succeeded, 3);
        const statuses = (await ledger.entries()).map((e) => e.status);
        assert.deepEqual(
          statuses.slice(0, 3),
          ['started', 'started', 'started'],
          'all three were running before any finished',
        );
      } finally {
        await ws.close();
      }
    });
  });
});

describe('a worker process', () => {
  it('hands queued actions the workspace it opened', async () => {
    await withTempDir('where', async (dir) => {
      const ws = await makeProject(dir);
      try {
        const where = planAction(whereKind, {});
        await (await ws.ledger()).queue.enqueue([where]);
        const worker = spawnWorker(dir, 'where-w', ['--once']);
        assert.equal(await worker.exited, 0);
        const rec = await (await ws.ledger()).getState<ActionRecord>(ACTIONS, where.fingerprint);
        const out = await (await ws.objects()).getJson<{ project: string; pid: number }>(rec?.value.output ?? '');
        assert.deepEqual(out, { project: ws.config.project, pid: worker.pid });
      } finally {
        await ws.close();
      }
    });
  });
});

describe('a joining worker checks the ledger', () => {
  it('refuses a corrupted entry, naming it, like verify: mid-log with --verify, the last entry in O(1)', async () => {
    await withTempDir('corrupt', async (dir) => {
      const ws = await makeProject(dir);
      const { plan } = sumDag(4);
      await runPlan(ws, plan, { workers: 0 });
      const head = await (await ws.ledger()).head();
      await ws.close();
      const ledgerPath = join(dir, '.fathom', 'ledger.db');
      const env = { FATHOM_WORKER_ID: 'joiner' };

      const healthy = await runFathom(['worker', '--once', '--json'], { cwd: dir, env });
      assert.equal(healthy.code, 0, healthy.stderr);
      assert.equal(healthy.json().joined.seq, head.seq);

      await sqliteTamper.setBodyField(ledgerPath, 3, ['params', 'n'], 99);
      const verify = await runFathom(['verify'], { cwd: dir, env });
      assert.equal(verify.code, 1);
      assert.match(verify.stderr, /entry 3: hash .* does not match its body/);
      const joinFull = await runFathom(['worker', '--verify', '--once'], { cwd: dir, env });
      assert.equal(joinFull.code, 1);
      assert.match(
        joinFull.stderr,
        /refusing to join: the ledger is broken at entry 3: hash .* does not match its body/,
      );

      await sqliteTamper.setBodyField(ledgerPath, head.seq, ['workerId'], 'mallory');
      const joinQuick = await runFathom(['worker', '--once'], { cwd: dir, env });
      assert.equal(joinQuick.code, 1);
      assert.match(
        joinQuick.stderr,
        new RegExp(`refusing to join: the ledger is broken at entry ${head.seq}: hash .* does not match its body`),
      );
    });
  });

  it('a lost lease is an error the worker drops, not a failure it records', async () => {
    await withTempDir('lost', async (dir) => {
      const ws = await makeProject(dir);
      try {
        const ledger = await ws.ledger();
        const a = planAction(sumKind, { n: 1 });
        await ledger.queue.enqueue([a]);
        await ledger.queue.claim('w1', { leaseSeconds: 30, backoffSeconds: 0 });
        await assert.rejects(
          ledger.append(
            { kind: 'test.sum', status: 'succeeded', fingerprint: a.fingerprint, workerId: 'w2' },
            { lease: { owner: 'w2', times: { leaseSeconds: 30, backoffSeconds: 0 } } },
          ),
          (e: unknown) => e instanceof FathomError && /no longer holds the lease/.test(e.message),
        );
      } finally {
        await ws.close();
      }
    });
  });
});

describe('fathom status shows the queue and the workers', () => {
  it('counts by state, and each worker alive, dead or stopped with what it is running', async () => {
    await withTempDir('status', async (dir) => {
      const ws = await makeProject(dir);
      try {
        const ledger = await ws.ledger();
        const [a, b] = [planAction(sumKind, { n: 1 }), planAction(sumKind, { n: 2 })];
        await ledger.queue.enqueue([a, b]);
        const base = { host: 'h', pid: 1, concurrency: 1, joinedSeq: 0, joinedHash: '0'.repeat(64) };
        await ledger.queue.registerWorker({ ...base, id: 'w-dead', leaseSeconds: 0.05 });
        await ledger.queue.registerWorker({ ...base, id: 'w-stopped', leaseSeconds: 30 });
        await ledger.queue.stopWorker('w-stopped');
        await sleep(100);
        await ledger.queue.registerWorker({ ...base, id: 'w-alive', leaseSeconds: 30 });
        const claimed = await ledger.queue.claim('w-alive', { leaseSeconds: 30, backoffSeconds: 0 });
        const run = await runFathom(['status', '--json'], { cwd: dir, env: {} });
        assert.equal(run.code, 0, run.stderr);
        const { queue } = run.json();
        assert.deepEqual(queue.counts, { ready: 1, leased: 1, done: 0, failed: 0 });
        const byId = Object.fromEntries(queue.workers.map((w: { id: string }) => [w.id, w]));
        assert.deepEqual(
          [byId['w-alive'].state, byId['w-dead'].state, byId['w-stopped'].state],
          ['alive', 'dead', 'stopped'],
        );
        assert.deepEqual(byId['w-alive'].running, [
          { kind: 'test.sum', fingerprint: claimed?.fingerprint, attempts: 1 },
        ]);
        const human = await runFathom(['status'], { cwd: dir, env: {} });
        assert.match(human.stdout, /queue +ready 1, leased 1, done 0, failed 0/);
        assert.match(human.stdout, /w-alive alive .*: test\.sum [0-9a-f]{12}… \(attempt 1\)/);
      } finally {
        await ws.close();
      }
    });
  });
});
