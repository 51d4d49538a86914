import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Workspace } from '../workspace/open-workspace.js';

export interface LocalWorkerOptions {
  /** How many `fathom worker` processes to start. */
  readonly count: number;
  /** Modules each worker imports to register the plan's action kinds (paths or specifiers). */
  readonly imports?: readonly string[];
  readonly leaseSeconds?: number;
  readonly backoffSeconds?: number;
  /** Environment for the worker processes (the master key for a vaulted password). Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where worker processes' stderr goes. Default 'inherit'. */
  readonly stderr?: 'inherit' | 'ignore';
}

/** Worker processes on this machine, kept for as long as a run needs them. */
export interface LocalWorkers {
  readonly count: number;
  /** How many are still running. */
  alive(): number;
  /** How those that exited ended (signal or exit code), for the error when all are gone. */
  exitCodes(): string[];
  /** SIGTERM (finish the current action, then exit) and wait for every one to exit. */
  stop(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../bin/fathom.js', import.meta.url));

/**
 * Start `count` `fathom worker` processes on the project. Each claims queued actions until
 * stopped; one that dies mid-action loses its lease and another takes the action over.
 */
export function startLocalWorkers(ws: Workspace, options: LocalWorkerOptions): LocalWorkers {
  const args = ['worker', '--project', ws.paths.root];
  if (options.leaseSeconds !== undefined) args.push('--lease', String(options.leaseSeconds));
  if (options.backoffSeconds !== undefined) args.push('--backoff', String(options.backoffSeconds));
  for (const m of options.imports ?? []) args.push('--import', m);
  const children: ChildProcess[] = Array.from({ length: options.count }, (_, i) =>
    spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'ignore', options.stderr ?? 'inherit'],
      env: { ...(options.env ?? process.env), FATHOM_WORKER_ID: `${ws.config.workerId}/w${i + 1}` },
    }),
  );
  const ended: string[] = [];
  const exits = children.map((c) => once(c, 'exit').then(([code, signal]) => void ended.push(String(signal ?? code))));
  return {
    count: children.length,
    alive: () => children.length - ended.length,
    exitCodes: () => [...ended],
    async stop() {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
      await Promise.all(exits);
    },
  };
}
