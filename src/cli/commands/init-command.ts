import type { Command } from 'commander';
import { resolve } from 'node:path';
import { emit, type CliIO } from '../output.js';
import { initWorkspace } from '../../workspace/init-workspace.js';
import { openWorkspace } from '../../workspace/open-workspace.js';

export function registerInit(program: Command, io: CliIO): void {
  program
    .command('init')
    .argument('[dir]', 'project folder to create', '.')
    .option('--name <project>', 'project name (default: the folder name)')
    .option('--json', 'print the result as JSON')
    .description('Create a project: fathom.yaml (sources, settings — no secrets) and .fathom/ (metadata DB, objects, vault)')
    .addHelpText('after', '\nExample:\n  fathom init churn-study && cd churn-study')
    .action(async (dir: string, opts: { name?: string; json?: boolean }) => {
      const result = await initWorkspace(resolve(io.cwd, dir), opts.name ? { project: opts.name } : {});
      // Open the ledger once so the metadata DB exists and its migrations ran.
      const ws = await openWorkspace(result.root, { env: io.env });
      const head = await (await ws.ledger()).head();
      await ws.close();
      emit(io, opts.json, { ...result, ledger: ws.paths.ledger, headSeq: head.seq }, () =>
        result.created
          ? `Created Fathom project in ${result.root}\n  next: fathom connect NAME PATH|URL`
          : `Fathom project already exists in ${result.root} (left unchanged)`,
      );
    });
}
