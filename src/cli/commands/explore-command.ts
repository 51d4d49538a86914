import type { Command } from 'commander';
import { basename, resolve } from 'node:path';
import { emit, table, type CliIO } from '../output.js';
import { progressBar } from '../progress.js';
import { globals, withWorkspace } from './common.js';
import { exploreWorkspace } from '../../explore/explore-workspace.js';
import { connectAndRecord } from '../../sources/record-source.js';
import { findProjectRoot } from '../../workspace/open-workspace.js';
import { initWorkspace } from '../../workspace/init-workspace.js';
import type { TableProfile } from '../../explore/profile-table.js';

export function registerExplore(program: Command, io: CliIO): void {
  program
    .command('explore')
    .argument('[location]', 'data to explore first: connects it as a source (creating a project in the current folder if there is none)')
    .option('--source <name>', 'explore only this source')
    .option('--json', 'print the table profiles as JSON')
    .description('Profile every table of every source: one ledger action per table, reused while its data is unchanged')
    .addHelpText('after', '\nExamples:\n  fathom explore examples/shop     # init + connect + explore in one go\n  fathom explore --source shop --json')
    .action(async (location: string | undefined, opts: { source?: string; json?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const quiet = Boolean(g.quiet);
      const log = (m: string) => quiet || io.stderr.write(`${m}\n`);
      if (location !== undefined && !g.project && !findProjectRoot(io.cwd)) {
        const created = await initWorkspace(io.cwd);
        log(`created a Fathom project in ${created.root}`);
      }
      await withWorkspace(cmd, io, async (ws) => {
        const env = { cwd: io.cwd, env: io.env, stdin: io.stdin, log: g.debug ? log : () => undefined };
        let only = opts.source;
        const refreshed = new Set<string>();
        if (location !== undefined) {
          const name = sourceNameFor(location, ws.config.sources, ws.paths.root, io.cwd);
          // A source already connected here is refreshed by exploreWorkspace itself.
          if (!ws.config.sources[name]) {
            await connectAndRecord(ws, { name, location }, env);
            refreshed.add(name);
          }
          only ??= name;
        }
        const bar = progressBar(io, 'explore', quiet);
        const outcome = await exploreWorkspace(ws, env, { ...(only ? { source: only } : {}), refreshed, onProgress: bar.update }).finally(() => bar.stop());
        emit(io, opts.json, outcome, () => render(outcome.profiles, outcome.profiled, outcome.reused));
      });
    });
}

/** The source a location maps to: an existing one with that location, else its folder name. */
function sourceNameFor(location: string, sources: Readonly<Record<string, { location: string }>>, root: string, cwd: string): string {
  const abs = resolve(cwd, location);
  for (const [name, s] of Object.entries(sources)) if (resolve(root, s.location) === abs) return name;
  const base = basename(abs).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z]/.test(base) ? base : `src_${base}`;
}

function render(profiles: ReadonlyArray<TableProfile & { reused: boolean }>, profiled: number, reused: number): string {
  const out: string[] = [];
  for (const p of profiles) {
    out.push(`${p.source}.${p.table}: ${p.rows} rows, ${p.columns.length} columns${p.reused ? ' (unchanged, profile reused)' : ''}`);
    out.push(
      table(
        ['column', 'type', 'nulls', 'distinct', 'min', 'max', 'mean'],
        p.columns.map((c) => [c.name, c.logicalType, String(c.nulls), String(c.distinct), short(c.min), short(c.max), c.mean === null ? '' : c.mean.toPrecision(4)]),
      ),
    );
    out.push('');
  }
  out.push(`${profiles.length} tables: ${profiled} profiled, ${reused} reused. See the log: fathom log`);
  return out.join('\n');
}

const short = (v: string | null): string => (v === null ? '' : v.length > 24 ? `${v.slice(0, 23)}…` : v);
