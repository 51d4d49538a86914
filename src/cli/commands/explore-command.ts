import type { Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { progressBar } from '../progress.js';
import { globals, withWorkspace } from './common.js';
import { addWorkersOption } from './worker-options.js';
import { buildCatalog, exploreProject, findProjectRoot, initWorkspace, sourceNameFor } from '../../index.js';
import { exploreSummary, renderExplore } from './explore-render.js';

export function registerExplore(program: Command, io: CliIO): void {
  const cmd = program
    .command('explore')
    .argument(
      '[location]',
      'data to explore first: connects it as a source (creating a project in the current folder if there is none)',
    )
    .option('--source <name>', 'explore only this source')
    .option(
      '--json',
      'print a summary as JSON: tables, keys, relationships, targets (the full document: fathom catalog --json)',
    )
    .description(
      'Profile every table, infer types, PII, keys, relationships, time indexes, targets and quality alerts: one ledger action per table plus one for relationships, reused while the data is unchanged',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  fathom explore examples/shop     # init + connect + explore in one go\n  fathom explore --source shop --json\n  fathom explore --workers 2       # run the plan on 2 local worker processes\n  fathom catalog                   # every column: semantic type, PII, stats, alerts\n  fathom report --open             # the HTML report',
    );
  addWorkersOption(cmd).action(
    async (
      location: string | undefined,
      opts: { source?: string; json?: boolean; workers: number | 'joined' },
      cmd: Command,
    ) => {
      const g = globals(cmd);
      const quiet = Boolean(g.quiet);
      const log = (m: string) => quiet || io.stderr.write(`${m}\n`);
      if (location !== undefined && !g.project && !findProjectRoot(io.cwd)) {
        const created = await initWorkspace(io.cwd);
        log(`created a Fathom project in ${created.root}`);
      }
      await withWorkspace(cmd, io, async (ws) => {
        const env = { cwd: io.cwd, env: io.env, stdin: io.stdin, log: g.debug ? log : () => undefined };
        let connect: { name: string; location: string } | undefined;
        let only = opts.source;
        if (location !== undefined) {
          const name = sourceNameFor(location, ws.config.sources, ws.paths.root, io.cwd);
          // A source already connected here is discovered again by the run itself.
          if (!ws.config.sources[name]) connect = { name, location };
          only ??= name;
        }
        const bar = progressBar(io, 'explore', quiet);
        const outcome = await exploreProject(
          ws,
          env,
          { ...(only ? { source: only } : {}), ...(connect ? { connect } : {}), workers: opts.workers },
          { onProgress: bar.update, ...(g.debug ? { progress: log } : {}) },
        ).finally(() => bar.stop());
        const catalog = await buildCatalog(ws);
        emit(io, opts.json, exploreSummary(outcome, catalog), () => renderExplore(outcome, catalog));
      });
    },
  );
}
