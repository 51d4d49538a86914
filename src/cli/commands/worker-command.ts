import type { Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { globals, positiveInt, withWorkspace } from './common.js';
import { runProjectWorker } from '../../index.js';
import { positiveSeconds } from './worker-options.js';

export function registerWorker(program: Command, io: CliIO): void {
  program
    .command('worker')
    .option('--concurrency <n>', 'actions run at once by this worker', positiveInt('--concurrency'), 1)
    .option('--verify', 'verify the whole ledger chain on joining (O(n)) instead of checking its head (O(1))')
    .option('--once', 'run at most one action, then exit')
    .option('--idle-exit <seconds>', 'exit after this long with nothing to do', positiveSeconds('--idle-exit'))
    .option(
      '--lease <seconds>',
      'lease length; a dead worker loses its actions after this',
      positiveSeconds('--lease'),
      30,
    )
    .option('--backoff <seconds>', 'retry n of a failed action waits this * 2^(n-1)', positiveSeconds('--backoff'), 2)
    .option('--import <module...>', 'modules that register more action kinds (paths or package names)')
    .option('--json', 'print what the worker did as JSON when it exits')
    .description(
      'Join the workspace as a worker: check the ledger, register, then claim and run queued actions under a lease',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  fathom worker --concurrency 2            # until stopped (Ctrl-C finishes the current actions)\n  fathom worker --verify --idle-exit 30    # full ledger check first; exit when idle for 30 s',
    )
    .action(
      async (
        opts: {
          concurrency: number;
          verify?: boolean;
          once?: boolean;
          idleExit?: number;
          lease: number;
          backoff: number;
          import?: string[];
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const quiet = Boolean(globals(cmd).quiet);
        const log = (m: string) => quiet || io.stderr.write(`${m}\n`);
        await withWorkspace(cmd, io, async (ws) => {
          const stop = new AbortController();
          // First signal: stop claiming and finish what runs. A second one ends the process;
          // its leases then expire and other workers take the actions over.
          const onSignal = () => {
            if (stop.signal.aborted) process.exit(130);
            log('stopping: finishing the running actions (signal again to quit now)');
            stop.abort();
          };
          process.on('SIGTERM', onSignal);
          process.on('SIGINT', onSignal);
          try {
            const summary = await runProjectWorker(ws, {
              imports: opts.import ?? [],
              cwd: io.cwd,
              id: ws.config.workerId,
              concurrency: opts.concurrency,
              verify: Boolean(opts.verify),
              once: Boolean(opts.once),
              leaseSeconds: opts.lease,
              backoffSeconds: opts.backoff,
              signal: stop.signal,
              log,
              ...(opts.idleExit === undefined ? {} : { idleExitSeconds: opts.idleExit }),
            });
            emit(
              io,
              opts.json,
              summary,
              () =>
                `worker ${summary.id}: ${summary.succeeded} succeeded, ${summary.reused} reused, ${summary.failed} failed, ${summary.lost} dropped (lease lost)`,
            );
          } finally {
            process.off('SIGTERM', onSignal);
            process.off('SIGINT', onSignal);
          }
        });
      },
    );
}
