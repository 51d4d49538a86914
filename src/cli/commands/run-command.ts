import type { Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { globals, nonNegativeInt, withWorkspace } from './common.js';
import { approved } from './approve.js';
import { reviewByPrompt } from './review-prompt.js';
import { addRunOptions, runRequest, type RunFlags } from './run-options.js';
import { addWorkersOption } from './worker-options.js';
import { serveUntilStopped } from './serve-command.js';
import {
  findProjectRoot,
  initWorkspace,
  runProject,
  SERVE_DEFAULTS,
  versionKey,
  type RunProjectOutcome,
} from '../../index.js';

interface Flags extends RunFlags {
  workers: number | 'joined';
  serve?: boolean;
  port: number;
}

export function registerRun(program: Command, io: CliIO): void {
  const cmd = program
    .command('run <data>')
    .description(
      'The whole pipeline in one command: plan the work the goal needs (fathom plan shows it), then do it: connect, explore, review, round two, features, train, register, promote',
    );
  addWorkersOption(addRunOptions(cmd))
    .option('--serve', 'then serve the production model over HTTP until Ctrl-C (as fathom serve)')
    .option('-p, --port <port>', 'the port for --serve', nonNegativeInt('--port'), SERVE_DEFAULTS.port)
    .option('--json', 'print what each step did and the model as JSON')
    .addHelpText(
      'after',
      [
        '',
        '<data> is a folder, file or glob of data files, a SQLite/DuckDB file, a postgres:// URL, or a source already connected.',
        'The work is a DAG derived from the goal and the ledger (fathom plan prints it without running anything):',
        'every node already done is reused, every stale one runs again, and only those. Two gates wait for a person:',
        'the metadata review (unless --yes or --accept-above; at a terminal it asks), and production (unless --yes).',
        'Stopped at a gate, run it again after fathom review or fathom promote: it goes on from there.',
        'With --workers N (or workers joined from other machines: fathom worker) the actions, every training trial',
        'included, run in parallel; with --budget-units the model is the same whatever the number of workers.',
        '',
        'Examples:',
        '  fathom run examples/shop --yes                        # raw files to a model in production',
        '  fathom run examples/shop --target customers.churned --accept-above 0.9',
        '  fathom run shop --yes --workers 2 --budget-units 20000000',
        '  fathom run examples/shop --yes --serve                # and serve it over HTTP until Ctrl-C',
      ].join('\n'),
    )
    .action(async (data: string, opts: Flags, cmd: Command) => {
      const g = globals(cmd);
      const log = (m: string) => g.quiet || io.stderr.write(`${m}\n`);
      if (!g.project && !findProjectRoot(io.cwd)) {
        const created = await initWorkspace(io.cwd);
        log(`created a Fathom project in ${created.root}`);
      }
      await withWorkspace(cmd, io, async (ws) => {
        const outcome = await runProject(
          ws,
          { cwd: io.cwd, env: io.env, stdin: io.stdin },
          { ...runRequest(data, opts), workers: opts.workers, port: opts.port, serve: opts.serve === true },
          {
            progress: log,
            review: async (w, state, pending) => {
              if (!io.stdin.isTTY) return false;
              await reviewByPrompt(w, state, pending, io);
              return true;
            },
            approveProduction: (v, current) =>
              approved(
                io,
                false,
                `Put ${versionKey(v.name, v.version)} (${v.metric} ${v.metrics[v.metric]?.mean.toFixed(4) ?? '-'}) in production${current ? ` in place of v${current.version} (${current.metrics[current.metric]?.mean.toFixed(4) ?? '-'})` : ''}?`,
              ),
          },
        );
        emit(io, opts.json, { ...outcome, train: outcome.train ? { card: outcome.train.card } : null }, () =>
          render(outcome, opts.serve === true),
        );
        const production = outcome.model?.stage === 'production' ? outcome.model : null;
        if (opts.serve && production) {
          await serveUntilStopped(
            ws,
            io,
            {
              host: SERVE_DEFAULTS.host,
              port: opts.port,
              model: [versionKey(production.name, production.version)],
              auth: SERVE_DEFAULTS.auth,
              maxRows: SERVE_DEFAULTS.maxRows,
            },
            g.quiet === true,
          );
        } else if (opts.serve) {
          io.stderr.write('not serving: no version is in production (see above)\n');
        }
      });
    });
}

function render(o: RunProjectOutcome, serving: boolean): string {
  const rows = o.steps
    .filter((s) => s.status !== 'skipped')
    .map((s) => [
      s.step,
      s.status,
      Object.entries(s.ran)
        .map(([k, n]) => `${k} ×${n}`)
        .join(', ') || '-',
      String(s.reused),
      s.detail,
    ]);
  const lines = [table(['step', 'status', 'ran', 'reused', 'detail'], rows), ''];
  if (o.nothingRan && o.stoppedAt === null) lines.push('Nothing changed since the last run: every node was reused.');
  if (o.stoppedAt === 'review')
    lines.push(
      `Stopped at review: ${o.stoppedReason ?? 'a person confirms what the data means first'}. Then run again.`,
    );
  if (o.stoppedAt === 'promote') lines.push(`Stopped before production: ${o.stoppedReason}`);
  if (o.model && o.call) {
    lines.push(
      `${versionKey(o.model.name, o.model.version)} is in production. ${serving ? 'Serving it; call it:' : 'Serve it (fathom serve) and call it:'}`,
      o.call,
    );
  }
  lines.push(`(${(o.ms / 1000).toFixed(1)} s; ledger entry ${o.seq}: fathom log --kind pipeline.run)`);
  return lines.join('\n');
}
