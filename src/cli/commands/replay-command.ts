import type { Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { FathomError, replay } from '../../index.js';

export function registerReplay(program: Command, io: CliIO): void {
  program
    .command('replay <entry>')
    .description('Run a recorded action again from its ledger entry alone and check the output is byte-identical')
    .option('--json', 'print the replay report as JSON')
    .addHelpText(
      'after',
      '\n<entry> is the seq of a succeeded entry (fathom log) or an action fingerprint.\n\nExample:\n  fathom log --kind features.matrix\n  fathom replay 30',
    )
    .action(async (entry: string, opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const r = await replay(ws, entry);
        emit(
          io,
          opts.json,
          r,
          () =>
            `${r.kind} (entry ${r.seq}) replayed in ${(r.ms / 1000).toFixed(1)} s: ${r.identical ? 'byte-identical' : 'DIFFERENT'} (recorded ${r.recorded.slice(0, 12)}…, replayed ${r.replayed.slice(0, 12)}…)`,
        );
        if (!r.identical)
          throw new FathomError(
            'integrity',
            `Replaying entry ${r.seq} (${r.kind}) gave different bytes than recorded`,
            {
              hint: 'The action is not deterministic, or its inputs changed (a source file edited since).',
              context: { reportedOnStdout: opts.json === true },
            },
          );
      });
    });
}
