import type { Command } from 'commander';
import { resolve } from 'node:path';
import { emit, type CliIO } from '../output.js';
import { setUpProject } from '../../index.js';

export function registerInit(program: Command, io: CliIO): void {
  program
    .command('init')
    .argument('[dir]', 'project folder to create', '.')
    .option('--name <project>', 'project name (default: the folder name)')
    .option(
      '--metadata <url|path>',
      'the central metadata database: postgres://user@host:5432/db (a password in it goes to the vault), or a SQLite file',
    )
    .option('--objects <dir>', 'the object store folder; give workers on many machines a shared mount')
    .option('--json', 'print the result as JSON')
    .description(
      'Create a project: fathom.yaml (sources, settings — no secrets) and .fathom/ (metadata DB, objects, vault)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  fathom init churn-study && cd churn-study\n  FATHOM_MASTER_KEY=… fathom init shared --metadata postgres://fathom:PW@db:5432/meta --objects /mnt/shared/objects',
    )
    .action(async (dir: string, opts: { name?: string; json?: boolean; metadata?: string; objects?: string }) => {
      const result = await setUpProject(resolve(io.cwd, dir), opts, io);
      emit(io, opts.json, result, () =>
        result.created
          ? `Created Fathom project in ${result.root}\n  next: fathom connect NAME PATH|URL`
          : `Fathom project already exists in ${result.root} (left unchanged)`,
      );
    });
}
