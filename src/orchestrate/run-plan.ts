import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { FathomError } from '../util/fathom-error.js';
import type { Workspace } from '../workspace/open-workspace.js';
import type { QueueRow } from '../ledger/work-queue.js';
import type { Plan } from './plan.js';
import { untilReachable } from './until-reachable.js';
import { runWorker } from './worker.js';

export interface RunPlanOptions {
  /**
   * Local worker processes (`fathom worker`) to start; 0 runs the plan in this process with
   * one in-process worker. Workers on other machines joined to the same metadata database
   * help either way.
   */
  readonly workers: number;
  /** Modules each worker imports to register the plan's action kinds (paths or specifiers). */
  readonly imports?: readonly string[];
  readonly leaseSeconds?: number;
  readonly backoffSeconds?: number;
  /** Environment for the worker processes (the master key for a vaulted password). Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
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

const POLL_MS = 150;
const BIN = fileURLToPath(new URL('../../bin/fathom.js', import.meta.url));

/**
 * Enqueue a planned DAG and run it to the end: every action done or failed for good (a
 * failed action fails its dependents). With `workers: N` it starts N local `fathom worker`
 * processes and stops them (SIGTERM: finish the current action, then exit) when the plan is
 * over; a worker that dies mid-action loses its lease and another takes the action over.
 */
export async function runPlan(ws: Workspace, plan: Plan, options: RunPlanOptions): Promise<PlanOutcome> {
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

  if (options.workers === 0) {
    await runWorker(
      { ledger, objects: await ws.objects(), workspace: ws },
      {
        id: `${ws.config.workerId}/plan`,
        leaseSeconds: options.leaseSeconds,
        backoffSeconds: options.backoffSeconds,
        stopWhen: finished,
        log,
      },
    );
    await finished();
  } else {
    const children = startWorkers(ws, options);
    const exits = children.map((c) =>
      once(c, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null })),
    );
    let alive = children.length;
    for (const e of exits) void e.then(() => (alive -= 1));
    try {
      while (!(await finished())) {
        if (alive === 0) {
          const codes = (await Promise.all(exits)).map((e) => e.signal ?? String(e.code));
          throw new FathomError(
            'failed',
            `all ${children.length} workers exited before the plan finished (exit ${codes.join(', ')})`,
            {
              hint: 'their messages are above; run `fathom status` to see the queue',
            },
          );
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
      await Promise.all(exits);
    }
  }
  const failed = last
    .filter((r) => r.state === 'failed')
    .map((r) => ({ fingerprint: r.fingerprint, kind: r.kind, error: r.lastError }));
  return {
    total: fps.length,
    done: last.filter((r) => r.state === 'done').length,
    failed,
    workers: options.workers,
    ms: Math.round(performance.now() - t0),
  };
}

function progress(rows: readonly QueueRow[], total: number): PlanProgress {
  const n = (s: string) => rows.filter((r) => r.state === s).length;
  return { total, done: n('done'), failed: n('failed'), running: n('leased') };
}

function startWorkers(ws: Workspace, options: RunPlanOptions): ChildProcess[] {
  const args = ['worker', '--project', ws.paths.root];
  if (options.leaseSeconds !== undefined) args.push('--lease', String(options.leaseSeconds));
  if (options.backoffSeconds !== undefined) args.push('--backoff', String(options.backoffSeconds));
  for (const m of options.imports ?? []) args.push('--import', m);
  return Array.from({ length: options.workers }, (_, i) =>
    spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'ignore', options.workerStderr ?? 'inherit'],
      env: { ...(options.env ?? process.env), FATHOM_WORKER_ID: `${ws.config.workerId}/w${i + 1}` },
    }),
  );
}
