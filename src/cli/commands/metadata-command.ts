import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { applyMetadataFile, exportMetadataFile, FathomError } from '../../index.js';
import { renderRecorded } from './review-render.js';

export function registerMetadata(program: Command, io: CliIO): void {
  const metadata = program
    .command('metadata')
    .description('Review metadata as code: export it to YAML, edit and review it in git, apply it back')
    .addHelpText(
      'after',
      '\nExamples:\n  fathom metadata export > metadata.yaml\n  fathom metadata apply metadata.yaml\n  fathom metadata apply metadata.yaml --dry-run',
    );
  metadata
    .command('export')
    .description('Print the reviewed metadata as YAML (every proposal with its status and confidence)')
    .option('--out <file>', 'write to this file (atomically) instead of stdout')
    .action(async (opts: { out?: string }, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const file = opts.out === undefined ? undefined : resolve(io.cwd, opts.out);
        const text = await exportMetadataFile(ws, file);
        if (file === undefined) io.stdout.write(text);
        else io.stderr.write(`wrote ${file}\n`);
      });
    });
  metadata
    .command('apply')
    .argument('<file>', 'a YAML file from fathom metadata export, edited')
    .description('Record every confirmed or rejected entry of the file as one ledger action; all or nothing')
    .option('--dry-run', 'check the file and show what would change, without recording')
    .option('--json', 'print the recorded changes as JSON')
    .action(async (fileArg: string, opts: { dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const file = resolve(io.cwd, fileArg);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new FathomError(
          'bad_input',
          `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
          { hint: 'Export one first: fathom metadata export > metadata.yaml' },
        );
      }
      await withWorkspace(cmd, io, async (ws) => {
        const applied = await applyMetadataFile(ws, text, fileArg, {
          dryRun: opts.dryRun === true,
          env: io.env,
          warn: (m) => io.stderr.write(`note: ${m}\n`),
        });
        if (applied.dryRun) {
          const n = applied.decisions.length;
          emit(
            io,
            opts.json,
            applied,
            () =>
              `${fileArg} is valid: ${n} decided entr${n === 1 ? 'y' : 'ies'} (already-recorded ones will not change anything)`,
          );
          return;
        }
        emit(io, opts.json, applied, () => renderRecorded(applied));
      });
    });
}
