import type { Workspace } from '../workspace/open-workspace.js';
import { runWorker, type WorkerOptions, type WorkerSummary } from '../orchestrate/worker.js';
import { untilReachable } from '../orchestrate/until-reachable.js';
import { loadBuiltinKinds } from './builtin-kinds.js';

/**
 * `fathom worker`: join the project as a worker with Fathom's built-in action kinds (and those
 * of `imports`, paths relative to `cwd`): check the ledger, register, then claim and run
 * queued actions until stopped. It may start before the metadata database is up: it waits
 * for it, as it would mid-run.
 */
export async function runProjectWorker(
  ws: Workspace,
  options: WorkerOptions & { readonly imports?: readonly string[]; readonly cwd?: string },
): Promise<WorkerSummary> {
  const log = options.log ?? (() => undefined);
  await loadBuiltinKinds(options.imports ?? [], options.cwd ?? process.cwd());
  const ledger = await untilReachable(
    () => ws.ledger(),
    options.reconnectSeconds ?? 60,
    (err) => log(`waiting for the metadata database: ${err.message}`),
  );
  return runWorker({ ledger, objects: await ws.objects(), workspace: ws }, options);
}
