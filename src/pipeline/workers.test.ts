import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { withTempDir } from '../testing/temp-dir.js';
import { repoPath } from '../testing/repo-path.js';
import { runFathom, runFathomOk } from '../testing/run-cli.js';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../testing/postgres-url.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { initWorkspace } from '../workspace/init-workspace.js';
import { setConfigValue } from '../workspace/edit-config-file.js';
import { dropSchema } from '../ledger/postgres/postgres-test-ledger.fixture.js';
import { spawnWorker } from '../orchestrate/worker.fixture.js';
import type { LogEntry } from '../ledger/ledger-store.js';

// A small unit budget: the search is the same on any machine and any number of workers.
const budget = ['--budget-units', '6000000', '--models', 'gbdt', '--seed', '3'];
const env = { FATHOM_USER: 'tester' };
const pgUrl = postgresTestUrl();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function shopProject(dir: string, pg?: { url: string; schema: string }): Promise<void> {
  await initWorkspace(dir);
  if (pg) await setConfigValue(dir, ['metadata'], { store: 'postgres', url: pg.url, schema: pg.schema });
  await cp(repoPath('examples/shop'), join(dir, 'shop'), { recursive: true });
}

async function entries(dir: string): Promise<LogEntry[]> {
  const ws = await openWorkspace(dir);
  try {
    return await (await ws.ledger()).entries({ limit: 100_000 });
  } finally {
    await ws.close();
  }
}

/** The model object a run put in production. */
const modelOf = (doc: { train: { card: { model: string } } | null }): string => doc.train!.card.model;

let reference: string;

describe('the pipeline on workers', () => {
  /** fathom run on N local worker processes: the model, and which workers ran its trials. */
  const onWorkers = async (n: number): Promise<{ model: string; workers: Set<string> }> =>
    withTempDir(`workers-${n}`, async (dir) => {
      await shopProject(dir);
      const doc = (
        await runFathomOk(['run', 'shop', '--yes', ...budget, '--workers', String(n), '--json'], { cwd: dir, env })
      ).json();
      const trials = (await entries(dir)).filter((e) => e.kind === 'learn.trial' && e.status === 'succeeded');
      return { model: modelOf(doc), workers: new Set(trials.map((e) => e.workerId)) };
    });

  before(async () => {
    const one = await onWorkers(1);
    assert.equal(one.workers.size, 1);
    reference = one.model;
  });

  it('two worker processes give the model bytes one gives, and the trials ran on both', async () => {
    const two = await onWorkers(2);
    assert.equal(two.model, reference, 'the same model as on one worker');
    assert.equal(two.workers.size, 2, `learn.trial entries name ${[...two.workers].join(', ')}`);
    assert.ok(
      [...two.workers].every((w) => /\/w[12]$/.test(w)),
      'worker processes ran them, not the planning process',
    );
  });

  it('kill -9 a worker mid-trial on SQLite: one lease lost, nothing lost or duplicated, the same model, verify passes', async () => {
    await withTempDir('kill-trial', async (dir) => {
      await shopProject(dir);
      await killDuringTrial(dir);
    });
  });

  it(
    'kill -9 a worker mid-trial on Postgres: one lease lost, nothing lost or duplicated, the same model, verify passes',
    { skip: pgUrl === undefined ? POSTGRES_SKIP_REASON : false },
    async () => {
      await withTempDir('kill-trial-pg', async (dir) => {
        const pg = { url: pgUrl!, schema: `fathom_t_${randomBytes(6).toString('hex')}` };
        await shopProject(dir, pg);
        try {
          await killDuringTrial(dir);
        } finally {
          await dropSchema(pg);
        }
      });
    },
  );
});

/**
 * The planning process waits for joined workers; the only one is killed while it runs a trial,
 * and another joins: the trial's lease expires, the new worker runs it, and the run ends with
 * the model a single process makes.
 */
async function killDuringTrial(dir: string): Promise<void> {
  const lease = ['--lease', '2', '--backoff', '0.1'];
  const victim = spawnWorker(dir, 'victim', lease, env);
  const planner = spawn(
    process.execPath,
    [repoPath('bin/fathom.js'), 'run', 'shop', '--yes', ...budget, '--workers', 'joined', '--json'],
    {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  planner.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  planner.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const plannerExit = once(planner, 'exit');
  const ws = await openWorkspace(dir);
  let killed: string;
  try {
    const ledger = await ws.ledger();
    for (const deadline = Date.now() + 120_000; ;) {
      // Mid-trial: leased by the victim, and its run recorded as started.
      const trial = (await ledger.queue.leased()).find((r) => r.kind === 'learn.trial' && r.leaseOwner === 'victim');
      const started = trial && (await ledger.entries({ fingerprint: trial.fingerprint, status: 'started' })).length > 0;
      if (trial && started) {
        killed = trial.fingerprint;
        break;
      }
      if (Date.now() > deadline) throw new Error(`no trial was started by the victim: ${stderr}`);
      await sleep(10);
    }
    victim.kill('SIGKILL');
    assert.equal(await victim.exited, null, 'killed by the signal');
    assert.equal((await ledger.queue.rows([killed]))[0]?.leaseOwner, 'victim', 'the dead worker still holds the lease');
  } finally {
    await ws.close();
  }
  const rescuer = spawnWorker(dir, 'rescuer', lease, env);
  const [code] = await plannerExit;
  rescuer.kill('SIGTERM');
  await rescuer.exited;
  assert.equal(code, 0, stderr);
  assert.equal(modelOf(JSON.parse(stdout)), reference, 'the same model as a run without a crash');
  const log = await entries(dir);
  const trialEntries = log.filter((e) => e.kind === 'learn.trial');
  const succeeded = new Map<string, number>();
  for (const e of trialEntries.filter((x) => x.status === 'succeeded'))
    succeeded.set(e.fingerprint!, (succeeded.get(e.fingerprint!) ?? 0) + 1);
  assert.deepEqual(
    [...succeeded.values()].filter((n) => n !== 1),
    [],
    'every trial succeeded exactly once',
  );
  const mine = trialEntries.filter((e) => e.fingerprint === killed);
  assert.deepEqual(
    mine.map((e) => [e.status, e.workerId]),
    [
      ['started', 'victim'],
      ['started', 'rescuer'],
      ['succeeded', 'rescuer'],
    ],
    'the killed trial cost one lease: started by the victim, run again by the rescuer',
  );
  const verify = await runFathom(['verify', '--json'], { cwd: dir, env });
  assert.equal(verify.code, 0, verify.stderr);
  assert.equal(verify.json().ok, true);
}
