import { FathomError } from '../util/fathom-error.js';
import type { Workspace } from '../workspace/open-workspace.js';
import type { QueueRow } from '../ledger/work-queue.js';
import type { Plan } from './plan.js';
import { untilReachable } from './until-reachable.js';
import { runWorker } from './worker.js';
import { startLocalWorkers, type LocalWorkerOptions, type LocalWorkers } from './local-workers.js';

export interface RunPlanOptions extends Omit<LocalWorkerOptions, 'count' | 'stderr'> {
  /**
   * Local worker processes (`fathom worker`) to start; 0 runs the plan in this process with
   * one in-process worker. Workers on other machines joined to the same metadata database
   * help either way.
   */
  readonly workers: number;
  /** Where worker processes' stderr goes. Default 'inherit'. */
  readonly workerStderr?: 'inherit' | 'ignore';
  readonly onProgress?: (p: PlanProgress) => void;
  readonly log?: (message: string) => void;
}

export interface PlanProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly running: number;
}

export interface PlanOutcome {
  readonly total: number;
  readonly done: number;
  readonly failed: ReadonlyArray<{ fingerprint: string; kind: string; error: string | null }>;
  readonly workers: number;
  readonly ms: number;
}

/**
 * Who runs the enqueued actions: a worker in this process, local worker processes that live
 * across several plans, or only workers that joined from elsewhere (this process just waits).
 */
export type PlanRunner =
  | { readonly kind: 'here'; readonly leaseSeconds?: number; readonly backoffSeconds?: number }
  | { readonly kind: 'local'; readonly workers: LocalWorkers }
  | { readonly kind: 'joined'; readonly idleSeconds?: number };

// Waiting for workers polls the queue quickly at first (an action often ends within a few
// milliseconds) and backs off while they work.
const POLL_MIN_MS = 5;
const POLL_MAX_MS = 50;

/**
 * Enqueue a planned DAG and run it to the end: every action done or failed for good (a
 * failed action fails its dependents). With `workers: N` it starts N local `fathom worker`
 * processes and stops them (SIGTERM: finish the current action, then exit) when the plan is
 * over; a worker that dies mid-action loses its lease and another takes the action over.
 */
export async function runPlan(ws: Workspace, plan: Plan, options: RunPlanOptions): Promise<PlanOutcome> {
  if (options.workers === 0) {
    const here = { kind: 'here' as const, leaseSeconds: options.leaseSeconds, backoffSeconds: options.backoffSeconds };
    return executePlan(ws, plan, here, options);
  }
  const workers = startLocalWorkers(ws, {
    ...options,
    count: options.workers,
    ...(options.workerStderr ? { stderr: options.workerStderr } : {}),
  });
  try {
    return await executePlan(ws, plan, { kind: 'local', workers }, options);
  } finally {
    await workers.stop();
  }
}

/** Enqueue the plan and wait until every action of it is done or failed for good, run by `runner`. */
export async function executePlan(
  ws: Workspace,
  plan: Plan,
  runner: PlanRunner,
  options: { readonly onProgress?: (p: PlanProgress) => void; readonly log?: (message: string) => void } = {},
): Promise<PlanOutcome> {
  const t0 = performance.now();
  const ledger = await ws.ledger();
  const log = options.log ?? (() => undefined);
  const fps = plan.actions.map((a) => a.fingerprint);
  await ledger.queue.enqueue(plan.actions);
  let last: QueueRow[] = [];
  const finished = async (): Promise<boolean> => {
    last = await untilReachable(() => ledger.queue.rows(fps), 60);
    const p = progress(last, fps.length);
    options.onProgress?.(p);
    return p.done + p.failed === fps.length;
  };

  if (runner.kind === 'here') {
    await runWorker(
      { ledger, objects: await ws.objects(), workspace: ws },
      {
        id: `${ws.config.workerId}/plan`,
        leaseSeconds: runner.leaseSeconds,
        backoffSeconds: runner.backoffSeconds,
        stopWhen: finished,
        log,
      },
    );
    await finished();
  } else {
    let idleSince = Date.now();
    let poll = POLL_MIN_MS;
    while (!(await finished())) {
      if (runner.kind === 'local' && runner.workers.alive() === 0) {
        throw new FathomError(
          'failed',
          `all ${runner.workers.count} workers exited before the plan finished (exit ${runner.workers.exitCodes().join(', ')})`,
          { hint: 'their messages are above; run `fathom status` to see the queue' },
        );
      }
      if (runner.kind === 'joined') {
        const alive = (await ledger.queue.workers()).some(
          (w) => w.stoppedAt === null && w.heartbeatAgeS <= w.leaseSeconds,
        );
        if (alive) idleSince = Date.now();
        else if (Date.now() - idleSince > (runner.idleSeconds ?? 60) * 1000) {
          throw new FathomError('failed', `no worker is running to take the ${fps.length} queued actions`, {
            hint: 'start one on any machine that reaches the metadata database: fathom worker --project DIR',
          });
        }
      }
      await new Promise((r) => setTimeout(r, poll));
      poll = Math.min(POLL_MAX_MS, poll * 2);
    }
  }
  const failed = last
    .filter((r) => r.state === 'failed')
    .map((r) => ({ fingerprint: r.fingerprint, kind: r.kind, error: r.lastError }));
  const workers = runner.kind === 'local' ? runner.workers.count : 0;
  return {
    total: fps.length,
    done: last.filter((r) => r.state === 'done').length,
    failed,
    workers,
    ms: Math.round(performance.now() - t0),
  };
}

function progress(rows: readonly QueueRow[], total: number): PlanProgress {
  const n = (s: string) => rows.filter((r) => r.state === s).length;
  return { total, done: n('done'), failed: n('failed'), running: n('leased') };
}
