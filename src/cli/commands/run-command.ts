import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { globals, nonNegativeInt, withWorkspace } from './common.js';
import { approved } from './approve.js';
import { duration, families, nonNegative, parseTarget, workUnits } from './train-command.js';
import { sourceNameFor } from './source-name.js';
import { reviewByPrompt } from './review-prompt.js';
import { tagDecisions } from '../../metadata/tag-decisions.js';
import { findProjectRoot } from '../../workspace/open-workspace.js';
import { initWorkspace } from '../../workspace/init-workspace.js';
import { runPipeline, type PipelineOutcome } from '../../pipeline/run-pipeline.js';
import { bulkAccept } from '../../metadata/bulk-accept.js';
import { decide } from '../../metadata/review-workspace.js';
import { versionKey } from '../../deploy/model-registry.js';
import { curlCommand, exampleBody } from '../../deploy/serve/example-request.js';
import { loadServedModel } from '../../deploy/served-model.js';
import { predictPath } from '../../deploy/serve/predict-route.js';
import { SERVE_DEFAULTS } from '../../deploy/serve/serve-options.js';
import { serveUntilStopped } from './serve-command.js';
import type { Family } from '../../learn/search/learners.js';

interface RunFlags {
  target?: string;
  name?: string;
  timeBudget?: number;
  budgetUnits?: number;
  seed: number;
  models?: Family[];
  yes?: boolean;
  acceptAbove?: number;
  serve?: boolean;
  port: number;
  json?: boolean;
}

export function registerRun(program: Command, io: CliIO): void {
  program
    .command('run <data>')
    .description(
      'The whole pipeline in one command: connect, explore, review, explore round two, features, train, register, promote; every step through the ledger, reused while nothing changed',
    )
    .option(
      '--target <table.column>',
      'the column to predict (default: the target confirmed in review, or the top proposal with --yes)',
    )
    .option('--name <source>', 'the source name for a new location (default: its folder or file name)')
    .option('--time-budget <duration>', 'training budget: 90s, 2m (default 60s)', duration)
    .option(
      '--budget-units <n>',
      'training work budget instead of time: the same data gives the same model on any machine',
      workUnits,
    )
    .option('--seed <n>', 'random seed', nonNegative, 0)
    .option('--models <families>', 'model families to search: linear,gbdt (default both)', families)
    .option('-y, --yes', 'full autonomy: accept every proposal and approve production ahead of time')
    .option(
      '--accept-above <confidence>',
      'accept proposals at least this confident (0..1); the rest wait for fathom review',
      confidence,
    )
    .option('--serve', 'then serve the production model over HTTP until Ctrl-C (as fathom serve)')
    .option('-p, --port <port>', 'the port for --serve', nonNegativeInt('--port'), SERVE_DEFAULTS.port)
    .option('--json', 'print the steps and the model as JSON')
    .addHelpText(
      'after',
      [
        '',
        '<data> is a folder, file or glob of data files, a SQLite/DuckDB file, a postgres:// URL, or a source already connected.',
        'Without --yes or --accept-above the pipeline stops at review for a person (at a terminal it asks),',
        'and a new model version waits for approval before it reaches production.',
        'Run it again: nothing is recomputed. Edit one file: only what depends on it runs again (the step table says which).',
        '',
        'Examples:',
        '  fathom run examples/shop --yes                        # raw files to a model in production',
        '  fathom run examples/shop --target customers.churned --accept-above 0.9',
        '  fathom run shop --yes --time-budget 2m --json         # a connected source',
        '  fathom run examples/shop --yes --serve                # and serve it over HTTP until Ctrl-C',
      ].join('\n'),
    )
    .action(async (data: string, opts: RunFlags, cmd: Command) => {
      const g = globals(cmd);
      const log = (m: string) => g.quiet || io.stderr.write(`${m}\n`);
      if (!g.project && !findProjectRoot(io.cwd)) {
        const created = await initWorkspace(io.cwd);
        log(`created a Fathom project in ${created.root}`);
      }
      const target = opts.target === undefined ? undefined : parseTarget(opts.target);
      await withWorkspace(cmd, io, async (ws) => {
        const connected = ws.config.sources[data] !== undefined;
        const sourceName = connected
          ? data
          : (opts.name ?? sourceNameFor(data, ws.config.sources, ws.paths.root, io.cwd));
        const outcome = await runPipeline(
          ws,
          { cwd: io.cwd, env: io.env, stdin: io.stdin },
          {
            source: data,
            sourceName,
            connect: !connected,
            ...(target ? { target } : {}),
            timeBudgetMs: opts.timeBudget ?? (opts.budgetUnits !== undefined ? null : 60_000),
            budgetUnits: opts.budgetUnits ?? null,
            seed: opts.seed,
            ...(opts.models ? { families: opts.models } : {}),
          },
          {
            progress: log,
            tagTarget: async (w, state, t) =>
              void (await decide(w, state, tagDecisions(state.catalog, `${t.table}.${t.column}`, { target: true }), {
                via: 'tag',
                env: io.env,
              })),
            review: async (w, state, pending) => {
              if (opts.yes || opts.acceptAbove !== undefined) {
                const { decisions } = bulkAccept(state.catalog, pending, opts.yes ? 0 : opts.acceptAbove!);
                if (decisions.length > 0) await decide(w, state, decisions, { via: 'review', env: io.env });
                return 'continue';
              }
              if (!io.stdin.isTTY) return 'stop';
              await reviewByPrompt(w, state, pending, io);
              return 'continue';
            },
            approveProduction: (v, current) =>
              approved(
                io,
                opts.yes,
                `Put ${versionKey(v.name, v.version)} (${v.metric} ${v.metrics[v.metric]?.mean.toFixed(4) ?? '-'}) in production${current ? ` in place of v${current.version} (${current.metrics[current.metric]?.mean.toFixed(4) ?? '-'})` : ''}?`,
              ),
          },
        );
        const production = outcome.model?.stage === 'production' ? outcome.model : null;
        const url = `http://127.0.0.1:${opts.port}${production ? predictPath(production.name) : ''}`;
        const call = production ? curlCommand(url, await exampleBody(ws, await loadServedModel(ws, production))) : null;
        emit(
          io,
          opts.json,
          {
            ...outcome,
            train: outcome.train ? { card: outcome.train.card, reused: outcome.train.reused } : null,
            call,
          },
          () => render(outcome, call, opts.serve === true),
        );
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

function render(o: PipelineOutcome, call: string | null, serving: boolean): string {
  const rows = o.steps.map((s) => [
    s.step,
    s.status,
    `${(s.ms / 1000).toFixed(1)} s`,
    Object.entries(s.ranKinds)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ') || '-',
    String(s.entries.reused ?? 0),
    s.detail,
  ]);
  const lines = [table(['step', 'status', 'time', 'actions run', 'reused', 'detail'], rows), ''];
  if (o.nothingRan) lines.push('Nothing changed since the last run: every action was reused.');
  if (o.stoppedAt === 'review')
    lines.push('Stopped at review: a person confirms what the data means first (fathom review), then run again.');
  if (o.stoppedAt === 'promote') lines.push(`Stopped before production: ${o.steps.at(-1)!.detail}`);
  if (o.model && call) {
    lines.push(
      `${versionKey(o.model.name, o.model.version)} is in production. ${serving ? 'Serving it; call it:' : 'Serve it (fathom serve) and call it:'}`,
      call,
    );
  }
  lines.push(`(ledger entry ${o.seq}: fathom log --kind pipeline.run)`);
  return lines.join('\n');
}

function confidence(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1))
    throw new InvalidArgumentError(`--accept-above must be a number from 0 to 1, got "${value}"`);
  return n;
}
