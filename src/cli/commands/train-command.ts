import { InvalidArgumentError, type Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { globals, positiveInt, withWorkspace } from './common.js';
import { METRICS, type MetricName } from '../../learn/eval/metrics.js';
import { trainModel, type TrainOutcome } from '../../train/train-model.js';
import { parseTarget, resolveTrainingRequest } from '../../index.js';
import type { TaskKind } from '../../learn/dataset.js';
import { TARGET_KINDS } from '../../catalog/catalog.js';
import type { Family } from '../../learn/search/learners.js';
import { cutoffWords } from '../../features/drop-reasons.js';
import { fathomModelFromJSON } from '../../train/fathom-model.js';
import { exportModelOnnx } from '../../train/export-model-onnx.js';
import { writeModelFile } from '../../learn/export/index.js';
import { resolve } from 'node:path';
import { registerModel, versionKey } from '../../deploy/model-registry.js';
import { reviewer } from '../../metadata/metadata-state.js';

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
  json?: boolean;
}

export function registerTrain(program: Command, io: CliIO): void {
  program
    .command('train')
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
        const { request, targetFrom, timeColumnFrom } = await resolveTrainingRequest(ws, {
          ...(opts.target !== undefined ? { target: opts.target } : {}),
          ...(opts.source !== undefined ? { source: opts.source } : {}),
          ...(opts.timeColumn !== undefined ? { timeColumn: opts.timeColumn } : {}),
          ...(opts.groupColumn !== undefined ? { groupColumn: opts.groupColumn } : {}),
          ...(opts.task !== undefined ? { task: opts.task } : {}),
          ...(opts.metric !== undefined ? { metric: opts.metric } : {}),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.models !== undefined ? { families: opts.models } : {}),
          features: opts.features,
          seed: opts.seed,
          folds: opts.folds,
          timeBudgetMs: opts.timeBudget ?? (opts.budgetUnits !== undefined ? null : 60_000),
          budgetUnits: opts.budgetUnits ?? null,
        });
        if (targetFrom === 'review')
          log(
            `target ${request.table}.${request.column} (confirmed in review)${timeColumnFrom === 'review' ? `; time split on ${request.timeColumn} (the confirmed time index)` : ''}`,
          );
        const outcome = await trainModel(ws, { cwd: io.cwd, env: io.env, stdin: io.stdin }, request, {
          startedAt,
          progress: log,
        });
        let onnx: { file: string; family: string; inputColumns: readonly string[]; input: string } | null = null;
        if (opts.onnx !== undefined) {
          const model = fathomModelFromJSON(await (await ws.objects()).getJson(outcome.model));
          const exported = exportModelOnnx(model);
          const file = resolve(io.cwd, opts.onnx);
          await writeModelFile(file, exported.bytes);
          onnx = { file, family: exported.family, inputColumns: exported.inputColumns, input: exported.inputNote };
          log(`wrote ${file} (ONNX, ${exported.family}; input columns: ${exported.inputColumns.join(', ')})`);
        }
        // Every trained model is registered (a candidate); the same model again is the same version.
        const registered = await registerModel(ws, outcome.card, reviewer(io.env));
        log(
          `${registered.existing ? 'already registered' : 'registered'} as ${versionKey(registered.version.name, registered.version.version)} (${registered.version.stage}); promote it with: fathom promote ${versionKey(registered.version.name, registered.version.version)} production`,
        );
        const version = {
          name: registered.version.name,
          version: registered.version.version,
          stage: registered.version.stage,
          existing: registered.existing,
        };
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

// fathom run parses its --target the same way.
export { parseTarget };

/** `90s`, `2m`, `1500ms`, `1h`, or a plain number of seconds → milliseconds. */
export function duration(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) throw new InvalidArgumentError(`--time-budget must be a duration like 60s, 2m or 1500ms, got "${value}"`);
  const ms =
    Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (!(ms >= 100)) throw new InvalidArgumentError(`--time-budget must be at least 100ms, got "${value}"`);
  return ms;
}

export function workUnits(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`--budget-units must be a positive integer (1e8 works), got "${value}"`);
  return n;
}

export function families(value: string): Family[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((f) => f !== 'linear' && f !== 'gbdt');
  if (list.length === 0 || bad.length > 0)
    throw new InvalidArgumentError(`--models takes linear and/or gbdt, comma-separated, got "${value}"`);
  return [...new Set(list)] as Family[];
}

export function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError(`--seed must be an integer >= 0, got "${value}"`);
  return n;
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
