// Action kinds for the worker tests, registered on import: `fathom worker --import` this
// compiled file. `test.sum` adds its n to its upstream totals; with `markerDir` it drops a
// file named after n and the worker's pid when it starts, so a test knows which process is
// mid-action (and can kill it there); `sleepMs` keeps it running that long; with
// `failUntilAttempt` it throws until that many markers for its n exist (a flaky action).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerActionKind } from './action-registry.js';
import type { ActionKind } from './action-kind.js';
import { DeadlineReached } from './deadline.js';

export interface SumParams {
  readonly n: number;
  readonly sleepMs?: number;
  readonly markerDir?: string;
  readonly failUntilAttempt?: number;
}

let runs = 0;

export const sumKind: ActionKind<SumParams, { n: number; total: number }> = registerActionKind({
  kind: 'test.sum',
  version: '1',
  async run(_ctx, params, inputs) {
    if (params.markerDir !== undefined) {
      writeFileSync(join(params.markerDir, `${params.n}.${process.pid}.${(runs += 1)}`), '');
      const mine = readdirSync(params.markerDir).filter((f) => f.startsWith(`${params.n}.`)).length;
      if (params.failUntilAttempt !== undefined && mine < params.failUntilAttempt)
        throw new Error(`flaky ${params.n}: run ${mine} fails`);
    }
    if (params.sleepMs !== undefined) await new Promise((r) => setTimeout(r, params.sleepMs));
    const upstream = inputs.reduce((t, i) => t + ((i.value as { total?: number } | undefined)?.total ?? 0), 0);
    return { n: params.n, total: params.n + upstream };
  },
  project: (value, params) => [{ collection: 'test-sums', key: String(params.n), value: value.total }],
});

/** Where it ran: the project the worker opened, and the worker's pid. */
export const whereKind: ActionKind<Record<string, never>, { project: string | null; pid: number }> = registerActionKind(
  {
    kind: 'test.where',
    version: '1',
    run: async (ctx) => ({ project: ctx.workspace?.config.project ?? null, pid: process.pid }),
  },
);

/** Honours its stop time: out of time, it stops (DeadlineReached); otherwise it says what it was given. */
export const budgetKind: ActionKind<{ n: number }, { stopAt: number | null }> = registerActionKind({
  kind: 'test.budget',
  version: '1',
  async run(ctx) {
    if (ctx.stopAt !== null && Date.now() >= ctx.stopAt) throw new DeadlineReached('test.budget', 0);
    return { stopAt: ctx.stopAt };
  },
});
