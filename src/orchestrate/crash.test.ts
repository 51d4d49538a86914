import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathom } from '../testing/run-cli.js';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../testing/postgres-url.js';
import { postgresBinDir, startPrivatePostgres } from '../testing/private-postgres.js';
import { dropSchema } from '../ledger/postgres/postgres-test-ledger.fixture.js';
import { canonicalJson, sha256 } from '../util/hash.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { makePlan, planAction } from './plan.js';
import { runPlan } from './run-plan.js';
import { sumKind } from './test-kinds.fixture.js';
import { FIXTURE, makeProject, spawnWorker, succeededOnce, sumDag } from './worker.fixture.js';

// Real processes, real databases, short leases: these are the crash tests of issue 8.
const pgUrl = postgresTestUrl();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quietWorkers = process.env.FATHOM_TEST_VERBOSE === '1' ? 'inherit' : 'ignore';

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, seconds = 30): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(25);
  }
}

/** 4 worker processes over a 200-action DAG; every action succeeds exactly once. */
async function fourWorkersOver200(ws: Workspace): Promise<void> {
  const { plan, expected } = sumDag(200, { sleepMs: 5 });
  const outcome = await runPlan(ws, plan, {
    workers: 4,
    imports: [FIXTURE],
    leaseSeconds: 5,
    backoffSeconds: 0.1,
    workerStderr: quietWorkers,
  });
  assert.deepEqual([outcome.done, outcome.failed], [200, []]);
  const ledger = await ws.ledger();
  const once = await succeededOnce(ledger, plan);
  assert.deepEqual([once.dupes, once.missing], [[], []]);
  assert.ok(
    once.workers.size >= 2,
    `only ${[...once.workers].join(', ')} ran actions: the workers did not share the plan`,
  );
  const sums = new Map((await ledger.listState<number>('test-sums')).map((r) => [Number(r.key), r.value]));
  assert.deepEqual(sums, expected);
  const report = await ledger.verify();
  assert.equal(report.ok, true, JSON.stringify(report));
  const workers = await ledger.queue.workers();
  assert.equal(workers.length, 4);
  assert.ok(
    workers.every((w) => w.stoppedAt !== null),
    'every worker deregistered when stopped',
  );
}

describe('crash tests: SQLite', () => {
  it('kill -9 a worker mid-action: another completes it after the lease expires, nothing lost or duplicated, verify passes', async () => {
    await withTempDir('kill9', async (dir) => {
      const ws = await makeProject(dir);
      const markers = join(dir, 'markers');
      await mkdir(markers);
      const slow = planAction(sumKind, { n: 1, sleepMs: 1000, markerDir: markers });
      const after = planAction(sumKind, { n: 2 }, [slow]);
      const plan = makePlan([slow, after]);
      const ledger = await ws.ledger();
      try {
        await ledger.queue.enqueue(plan.actions);
        const victim = spawnWorker(dir, 'victim', ['--lease', '1', '--backoff', '0.05']);
        await waitFor('the victim to start the slow action', () =>
          readdirSync(markers).some((f) => f.startsWith(`1.${victim.pid}.`)),
        );
        victim.kill('SIGKILL');
        assert.equal(await victim.exited, null);
        assert.equal(
          (await ledger.queue.rows([slow.fingerprint]))[0]?.leaseOwner,
          'victim',
          'the dead worker still holds the lease',
        );

        // Idle long enough to outlast the victim's lease (1 s) and a reset pass (every 0.5 s).
        const rescuer = spawnWorker(dir, 'rescuer', ['--lease', '1', '--backoff', '0.05', '--idle-exit', '3']);
        assert.equal(await rescuer.exited, 0);
        assert.equal(readdirSync(markers).length, 2, 'the slow action ran twice: once killed, once to the end');

        const rows = await ledger.queue.rows(plan.actions.map((a) => a.fingerprint));
        assert.deepEqual(
          rows.map((r) => [r.state, r.attempts]),
          [
            ['done', 2],
            ['done', 1],
          ],
        );
        assert.match(
          (await ledger.entries({ fingerprint: slow.fingerprint, status: 'succeeded' }))[0]?.workerId ?? '',
          /^rescuer$/,
        );
        assert.equal((await ledger.entries({ fingerprint: slow.fingerprint, status: 'started' })).length, 2);
        const once = await succeededOnce(ledger, plan);
        assert.deepEqual([once.dupes, once.missing], [[], []]);
        const objects = readdirSync(join(dir, '.fathom', 'objects')).sort();
        assert.deepEqual(
          objects,
          [sha256(canonicalJson({ n: 1, total: 1 })), sha256(canonicalJson({ n: 2, total: 3 }))].sort(),
        );
      } finally {
        await ws.close();
      }
      const verify = await runFathom(['verify', '--json'], { cwd: dir, env: {} });
      assert.equal(verify.code, 0, verify.stderr);
      assert.equal(
        verify.json().entries,
        5,
        'started twice and succeeded once for the slow one, started and succeeded for the other',
      );
    });
  });

  it('4 workers over a DAG of 200 actions: every action succeeded exactly once', async () => {
    await withTempDir('sqlite-200', async (dir) => {
      const ws = await makeProject(dir);
      try {
        await fourWorkersOver200(ws);
      } finally {
        await ws.close();
      }
    });
  });
});

describe('crash tests: Postgres', { skip: pgUrl === undefined ? POSTGRES_SKIP_REASON : false }, () => {
  it('4 workers over a DAG of 200 actions: every action succeeded exactly once', async () => {
    await withTempDir('pg-200', async (dir) => {
      const pg = { url: pgUrl!, schema: `fathom_t_${randomBytes(6).toString('hex')}` };
      const ws = await makeProject(dir, pg);
      try {
        await fourWorkersOver200(ws);
      } finally {
        await ws.close();
        await dropSchema(pg);
      }
    });
  });

  const noServer =
    postgresBinDir() === undefined
      ? 'Postgres server binaries are not installed (apt-get install -y postgresql)'
      : false;
  it(
    'restart the Postgres server during a run: the workers reconnect and finish',
    { skip: process.env.FATHOM_REQUIRE_PG === '1' ? false : noServer },
    async () => {
      const server = await startPrivatePostgres();
      try {
        await withTempDir('pg-restart', async (dir) => {
          const ws = await makeProject(dir, { url: server.url, schema: 'fathom' });
          try {
            const { plan, expected } = sumDag(40, { sleepMs: 60 });
            let restarted = false;
            let doneAtRestart = 0;
            const outcome = await runPlan(ws, plan, {
              workers: 3,
              imports: [FIXTURE],
              leaseSeconds: 3,
              backoffSeconds: 0.1,
              workerStderr: quietWorkers,
              onProgress: (p) => {
                if (!restarted && p.done >= 8) {
                  restarted = true;
                  doneAtRestart = p.done;
                  server.restart();
                }
              },
            });
            assert.ok(restarted && doneAtRestart < 40, 'the server was restarted mid-run');
            assert.deepEqual([outcome.done, outcome.failed], [40, []]);
            const ledger = await ws.ledger();
            const once = await succeededOnce(ledger, plan);
            assert.deepEqual([once.dupes, once.missing], [[], []]);
            const sums = new Map((await ledger.listState<number>('test-sums')).map((r) => [Number(r.key), r.value]));
            assert.deepEqual(sums, expected);
            assert.equal((await ledger.verify()).ok, true);
          } finally {
            await ws.close();
          }
        });
      } finally {
        server.stop();
      }
    },
  );
});
