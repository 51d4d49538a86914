import type { Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { approved } from './approve.js';
import { badInput, promoteVersion, STAGES, versionKey, type Stage } from '../../index.js';

export function registerPromote(program: Command, io: CliIO): void {
  program
    .command('promote <model> <stage>')
    .description(`Move a model version to a stage (${STAGES.join('|')}); production needs approval`)
    .option('-y, --yes', 'approve a promotion to production ahead of time (otherwise asked at the terminal)')
    .option('--json', 'print the promotion as JSON')
    .addHelpText(
      'after',
      '\n<model> is NAME@VERSION, NAME@latest, or NAME@STAGE (fathom models lists them).\nA new production version archives the one it replaces. Every change is a ledger entry (fathom log --kind deploy.promote).\n\nExamples:\n  fathom promote customers.churned@3 staging\n  fathom promote customers.churned@latest production --yes',
    )
    .action(async (ref: string, stage: string, opts: { yes?: boolean; json?: boolean }, cmd: Command) => {
      if (!(STAGES as readonly string[]).includes(stage))
        throw badInput(`Unknown stage ${JSON.stringify(stage)}`, `Use one of: ${STAGES.join(', ')}.`);
      await withWorkspace(cmd, io, async (ws) => {
        const p = await promoteVersion(ws, ref, stage as Stage, {
          env: io.env,
          approve: (v) =>
            approved(
              io,
              opts.yes,
              `Promote ${versionKey(v.name, v.version)} to production (it will serve predictions)?`,
            ),
        });
        const key = versionKey(p.version.name, p.version.version);
        emit(io, opts.json, p, () =>
          p.seq === null
            ? `${key} is already ${stage}`
            : `${key}: ${p.from} -> ${stage} (ledger entry ${p.seq})${p.archived.length ? `; archived ${p.archived.map((v) => versionKey(v.name, v.version)).join(', ')}` : ''}${stage === 'production' ? `\nServe it: fathom serve   (POST /v1/models/${p.version.name}/predict)` : ''}`,
        );
      });
    });
}
