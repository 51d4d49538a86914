import { InvalidArgumentError, type Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { globals, positiveInt, withWorkspace } from './common.js';
import { resolve } from 'node:path';
import {
  cutoffWords,
  exportOnnxFile,
  METRICS,
  parseTarget,
  TARGET_KINDS,
  trainProject,
  versionKey,
  type Family,
  type MetricName,
  type TaskKind,
  type TrainOutcome,
} from '../../index.js';
import { duration, families, nonNegative, workUnits } from './budget-options.js';
import { addWorkersOption } from './worker-options.js';

interface TrainFlags {
  target?: string;
  source?: string;
  timeBudget?: number;
  budgetUnits?: number;
  metric?: MetricName;
  seed: number;
  folds: number;
  timeColumn?: string;
  groupColumn?: string;
  task?: TaskKind;
  name?: string;
  models?: Family[];
  onnx?: string;
  features: boolean;
  maxTrials?: number;
  workers: number | 'joined';
  json?: boolean;
}

export function registerTrain(program: Command, io: CliIO): void {
  const cmd = program.command('train');
  addWorkersOption(cmd);
  cmd
    .description(
      'Train a model for a table column: portfolio + cost-frugal search, ensemble, model card; every trial is a ledger action',
    )
    .option('--target <table.column>', 'the column to predict (default: the target confirmed in review)')
    .option('--source <name>', 'the source holding the table (when several have one of that name)')
    .option('--time-budget <duration>', 'hard wall-clock budget: 90s, 2m, 1500ms (default 60s)', duration)
    .option(
      '--budget-units <n>',
      'work budget in row × feature passes: the result no longer depends on machine speed',
      workUnits,
    )
    .option('--metric <metric>', `what the search optimises: ${METRICS.join('|')}`, metricName)
    .option('--seed <n>', 'random seed (splits, search)', nonNegative, 0)
    .option('--folds <n>', 'cross-validation folds', positiveInt('--folds'), 5)
    .option('--time-column <column>', 'split by time on this column (train on the past, validate on the future)')
    .option('--group-column <column>', 'group k-fold: rows sharing a value of this column stay in one fold')
    .option('--task <kind>', `override the guessed task: ${TARGET_KINDS.join('|')}`, taskKind)
    .option('--name <name>', 'model name (default TABLE.COLUMN)')
    .option('--models <families>', 'model families to search, comma-separated: linear,gbdt (default both)', families)
    .option(
      '--max-trials <n>',
      'at most this many trials (1: a single model, e.g. for --onnx)',
      positiveInt('--max-trials'),
    )
    .option('--onnx <file>', 'also export the chosen model to this ONNX file (a single GBDT or linear model)')
    .option('--no-features', 'train on the target table alone, not on the feature matrix built from related tables')
    .option('--json', 'print the model card and leaderboard as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  fathom train --target customers.churned --time-budget 2m\n  fathom train --target orders.amount --metric mae --budget-units 200000000 --seed 7 --json',
    )
    .action(async (opts: TrainFlags, cmd: Command) => {
      const startedAt = Date.now();
      const g = globals(cmd);
      const log = (m: string) => g.quiet || io.stderr.write(`${m}\n`);
      await withWorkspace(cmd, io, async (ws) => {
        const target = opts.target === undefined ? undefined : parseTarget(opts.target);
        const outcome = await trainProject(
          ws,
          { cwd: io.cwd, env: io.env, stdin: io.stdin },
          {
            ...(target ?? {}),
            ...(opts.source !== undefined ? { source: opts.source } : {}),
            ...(opts.timeColumn !== undefined ? { timeColumn: opts.timeColumn } : {}),
            ...(opts.groupColumn !== undefined ? { groupColumn: opts.groupColumn } : {}),
            ...(opts.task !== undefined ? { task: opts.task } : {}),
            ...(opts.metric !== undefined ? { metric: opts.metric } : {}),
            ...(opts.name !== undefined ? { name: opts.name } : {}),
            ...(opts.models !== undefined ? { families: opts.models } : {}),
            ...(opts.maxTrials !== undefined ? { maxTrials: opts.maxTrials } : {}),
            features: opts.features,
            seed: opts.seed,
            folds: opts.folds,
            timeBudgetMs: opts.timeBudget ?? (opts.budgetUnits !== undefined ? null : 60_000),
            budgetUnits: opts.budgetUnits ?? null,
          },
          { startedAt, workers: opts.workers },
          { progress: log },
        );
        const c = outcome.card;
        if (target === undefined)
          log(
            `target ${c.data.table}.${c.target.column} (confirmed in review)${opts.timeColumn === undefined && c.split.timeColumn ? `; time split on ${c.split.timeColumn} (the confirmed time index)` : ''}`,
          );
        const onnx =
          opts.onnx === undefined ? null : await exportOnnxFile(ws, outcome.model, resolve(io.cwd, opts.onnx));
        if (onnx) log(`wrote ${onnx.file} (ONNX, ${onnx.family}; input columns: ${onnx.inputColumns.join(', ')})`);
        // Every trained model is registered (a candidate); the same model again is the same version.
        const v = outcome.registered;
        if (v)
          log(
            `registered as ${versionKey(v.name, v.version)} (${v.stage}); promote it with: fathom promote ${versionKey(v.name, v.version)} production`,
          );
        const version = v && { name: v.name, version: v.version, stage: v.stage, existing: outcome.reused };
        emit(
          io,
          opts.json,
          {
            card: outcome.card,
            leaderboard: outcome.leaderboard,
            reused: outcome.reused,
            trialsRun: outcome.trialsRun,
            trialsReused: outcome.trialsReused,
            onnx,
            registered: version,
          },
          () => render(outcome),
        );
      });
    });
}

function metricName(value: string): MetricName {
  if (!(METRICS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`--metric must be one of ${METRICS.join(', ')}, got "${value}"`);
  return value as MetricName;
}

function taskKind(value: string): TaskKind {
  if (!(TARGET_KINDS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`--task must be binary, multiclass or regression, got "${value}"`);
  return value as TaskKind;
}

function render(o: TrainOutcome): string {
  const c = o.card;
  const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(4));
  const ranked = [...o.leaderboard]
    .filter((e) => e.status === 'ok' && e.score !== null)
    .sort((a, b) => b.score! - a.score!)
    .slice(0, 10);
  const lines = [
    `model ${c.name} (${c.target.task}${c.target.classes ? `: ${c.target.classes.join(', ')}` : ''}) ${o.reused ? '— unchanged, reused' : ''}`.trimEnd(),
    `  data ${c.data.source}.${c.data.table}: ${c.data.rows} rows${c.data.rowsDropped ? ` (${c.data.rowsDropped} dropped: null target)` : ''}, ${c.features.used.length} features used, ${c.features.dropped.length} dropped`,
    ...(c.featureSet
      ? [
          `  trained on the feature matrix: ${c.featureSet.selected} features selected of ${c.featureSet.synthesized} synthesized from related tables (depth ${c.featureSet.depth}, cutoff ${cutoffWords(c.featureSet.cutoff, c.data.table)}); scoring plan saved in the card`,
        ]
      : []),
    ...c.features.dropped.map((d) => `    dropped ${d.column}: ${d.reason}`),
    `  ${c.split.kind} split, ${c.split.folds} folds; ` +
      Object.entries(c.metrics)
        .map(([k, v]) => `${k} ${v.mean.toFixed(4)} ± ${v.std.toFixed(4)}`)
        .join(', '),
    `  ensemble: ${c.ensemble.map((e) => `trial ${e.trial} ${e.family} ×${e.weight.toFixed(2)} (${e.fit})`).join(', ')}`,
    `  ${c.search.trials} trials (${c.search.completed} completed, ${c.search.stopped} stopped, ${c.search.failed} failed; ${o.trialsRun} run now, ${o.trialsReused} from the ledger) in ${(o.wallMs / 1000).toFixed(1)} s`,
    `  saved as object ${c.model.slice(0, 12)}…; top features: ${c.permutationImportance.features
      .slice(0, 5)
      .map((f) => f.feature)
      .join(', ')}`,
    '',
    table(
      ['trial', 'family', 'params', c.metric, 'folds ±', 'ms'],
      ranked.map((e) => {
        const fs = e.foldScores.filter((v): v is number => v !== null);
        const m = fs.reduce((s, v) => s + v, 0) / (fs.length || 1);
        const sd = Math.sqrt(fs.reduce((s, v) => s + (v - m) ** 2, 0) / (fs.length || 1));
        return [
          String(e.trial),
          e.family,
          Object.entries(e.params)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
          fmt(e.metricValue),
          sd.toFixed(4),
          e.ms === null ? '-' : String(e.ms),
        ];
      }),
    ),
  ];
  for (const w of c.warnings) lines.splice(1, 0, `  warning: ${w}`);
  if (c.description) lines.push('', c.description);
  return lines.join('\n');
}
