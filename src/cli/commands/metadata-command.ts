import { readFile } from 'node:fs/promises';
import { atomicWrite } from '../../util/atomic-write.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { FathomError } from '../../util/fathom-error.js';
import { decisionsFromFile, exportMetadata, parseMetadataFile } from '../../metadata/metadata-file.js';
import { decide, loadReview } from '../../metadata/review-workspace.js';
import { validateDecisions } from '../../metadata/validate-decisions.js';
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
        const text = exportMetadata((await loadReview(ws)).catalog);
        if (opts.out === undefined) {
          io.stdout.write(text);
          return;
        }
        const file = resolve(io.cwd, opts.out);
        await atomicWrite(file, text);
        io.stderr.write(`wrote ${file}\n`);
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
        const parsed = parseMetadataFile(text, fileArg);
        const state = await loadReview(ws);
        const decisions = decisionsFromFile(parsed, state.catalog, fileArg);
        const current = state.catalog.metadataVersion ?? 0;
        if (parsed.version < current)
          io.stderr.write(
            `note: ${fileArg} was exported at metadata v${parsed.version}; the project is at v${current}. Its decisions replace newer ones on the same facts.\n`,
          );
        if (opts.dryRun) {
          validateDecisions(state.catalog, state.tags, decisions);
          emit(
            io,
            opts.json,
            { dryRun: true, decisions },
            () =>
              `${fileArg} is valid: ${decisions.length} decided entr${decisions.length === 1 ? 'y' : 'ies'} (already-recorded ones will not change anything)`,
          );
          return;
        }
        const recorded = await decide(ws, state, decisions, { via: 'apply', env: io.env });
        emit(io, opts.json, recorded, () => renderRecorded(recorded));
      });
    });
}
