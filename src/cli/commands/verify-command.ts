import type { Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { FathomError, verifyOrRebuild } from '../../index.js';

export function registerVerify(program: Command, io: CliIO): void {
  program
    .command('verify')
    .option('--rebuild', 'if only the projection is wrong (the chain is intact), rebuild it by replaying the log')
    .option('--json', 'print the verification report as JSON')
    .description(
      'Recompute the whole hash chain and the projections from the log; report the first broken entry (O(n))',
    )
    .action(async (opts: { json?: boolean; rebuild?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const report = await verifyOrRebuild(await ws.ledger(), { rebuild: opts.rebuild === true });
        emit(io, opts.json, report, () =>
          report.ok
            ? `ledger ok: ${report.entries} entries, chain and projections verified in ${report.ms} ms` +
              (report.rebuilt ? ' (projection rebuilt from the log first)' : '')
            : '',
        );
        if (!report.ok) {
          const where = report.firstProblem
            ? `entry ${report.firstProblem.seq}: ${report.firstProblem.reason}`
            : 'projection differs from the log';
          const diff = report.projectionDiff.slice(0, 5).join('; ');
          throw new FathomError('integrity', `ledger verification FAILED at ${where}${diff ? ` (${diff})` : ''}`, {
            hint: report.firstProblem
              ? `The log was altered or truncated after it was written. Restore ${ledgerName(ws.config.metadata)} from a backup; do not run workers against it.`
              : 'The log is intact but the projected state is not: rebuild it from the log with `fathom verify --rebuild`.',
            // The report above is this command's JSON document; no second one.
            context: { reportedOnStdout: opts.json === true },
          });
        }
      });
    });
}

/** Where the ledger lives, in words for the fix: the SQLite file or the Postgres database. */
function ledgerName(m: { store: string; path: string; url?: string | undefined }): string {
  return m.store === 'postgres' ? `the Postgres metadata database (${m.url ?? 'see fathom.yaml'})` : m.path;
}
