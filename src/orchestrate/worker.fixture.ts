import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { initWorkspace } from '../workspace/init-workspace.js';
import { setConfigValue } from '../workspace/edit-config-file.js';
import { openWorkspace, type Workspace } from '../workspace/open-workspace.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { ACTIONS, type ActionRecord } from './run-action.js';
import { makePlan, planAction, type Plan, type PlannedAction } from './plan.js';
import { sumKind, type SumParams } from './test-kinds.fixture.js';

export const FIXTURE = fileURLToPath(new URL('./test-kinds.fixture.js', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/fathom.js', import.meta.url));

/** A project in `dir`, on SQLite by default or on a Postgres schema. */
export async function makeProject(dir: string, pg?: { url: string; schema: string }): Promise<Workspace> {
  await initWorkspace(dir);
  if (pg !== undefined) await setConfigValue(dir, ['metadata'], { store: 'postgres', url: pg.url, schema: pg.schema });
  return openWorkspace(dir, { env: { FATHOM_WORKER_ID: 'test-planner' } });
}

/** n test.sum actions; action i takes the outputs of (i-1)/2 and i/3 as inputs. */
export function sumDag(n: number, extra: Omit<SumParams, 'n'> = {}): { plan: Plan; expected: Map<number, number> } {
  const actions: PlannedAction[] = [];
  const expected = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const ups = i === 0 ? [] : [...new Set([Math.floor((i - 1) / 2), Math.floor(i / 3)])];
    actions.push(
      planAction(
        sumKind,
        { n: i, ...extra },
        ups.map((j) => actions[j]!),
      ),
    );
    expected.set(i, i + ups.reduce((t, j) => t + expected.get(j)!, 0));
  }
  return { plan: makePlan(actions), expected };
}

/** A `fathom worker` process on the project; stderr shown only with FATHOM_TEST_VERBOSE=1. */
export function spawnWorker(
  dir: string,
  id: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): ChildProcess & { exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'worker', '--project', dir, '--import', FIXTURE, ...args], {
    stdio: ['ignore', 'ignore', process.env.FATHOM_TEST_VERBOSE === '1' ? 'inherit' : 'ignore'],
    env: { PATH: process.env.PATH, ...env, FATHOM_WORKER_ID: id },
  });
  return Object.assign(child, { exited: once(child, 'exit').then(([code]) => code as number | null) });
}

/** Exactly-once, read from the log: succeeded entries per fingerprint, and who ran them. */
export async function succeededOnce(
  ledger: LedgerStore,
  plan: Plan,
): Promise<{ dupes: string[]; missing: string[]; workers: Set<string> }> {
  const counts = new Map<string, number>();
  const workers = new Set<string>();
  for (let after = 0; ;) {
    const page = await ledger.entries({ afterSeq: after, status: 'succeeded', limit: 1000 });
    if (page.length === 0) break;
    for (const e of page) {
      counts.set(e.fingerprint ?? '', (counts.get(e.fingerprint ?? '') ?? 0) + 1);
      workers.add(e.workerId);
    }
    after = page[page.length - 1]!.seq;
  }
  const records = new Map((await ledger.listState<ActionRecord>(ACTIONS)).map((r) => [r.key, r.value.status]));
  const fps = plan.actions.map((a) => a.fingerprint);
  return {
    dupes: [...counts].filter(([, n]) => n > 1).map(([fp]) => fp),
    missing: fps.filter((fp) => counts.get(fp) !== 1 || records.get(fp) !== 'succeeded'),
    workers,
  };
}
