import { InvalidArgumentError, type Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { globals, nonNegativeInt, positiveInt, withWorkspace } from './common.js';
import {
  buildFeatures,
  cutoffWords,
  DEFAULT_FEATURE_OPTIONS,
  reasonGroup,
  type FeatureSetOutcome,
} from '../../index.js';
import { addWorkersOption } from './worker-options.js';

interface FeaturesFlags {
  depth: number;
  cutoffColumn?: string;
  cutoffTime?: string;
  cutoffTable?: string;
  cutoff?: boolean;
  window?: number;
  maxFeatures: number;
  seed: number;
  workers: number | 'joined';
  json?: boolean;
}

export function registerFeatures(program: Command, io: CliIO): void {
  const cmd = program.command('features');
  addWorkersOption(cmd);
  cmd
    .description(
      'Build the feature matrix of the confirmed target: aggregates of related tables and transforms, compiled to SQL, cut off in time, selected and ranked',
    )
    .option(
      '--depth <n>',
      'stacking depth: 1 = direct children, 2 = their children too',
      positiveInt('--depth'),
      DEFAULT_FEATURE_OPTIONS.depth,
    )
    .option(
      '--cutoff-column <column>',
      "each target row's cutoff: a date or timestamp column of the target table (default: its time index)",
    )
    .option('--cutoff-time <instant>', 'one cutoff for every row, e.g. the day the target was observed: 2025-06-30')
    .option(
      '--cutoff-table <table[.column]>',
      "a table of the same source listing the rows: the target's key, a cutoff each (an entity may come at several), and optionally the target's value then",
    )
    .option('--no-cutoff', 'use every child row, whatever its time (risks leakage; said as a warning)')
    .option('--window <days>', 'training window: only child rows at most this many days before the cutoff', days)
    .option(
      '--max-features <n>',
      'how many features selection keeps (best by GBDT gain)',
      positiveInt('--max-features'),
      DEFAULT_FEATURE_OPTIONS.maxFeatures,
    )
    .option(
      '--seed <n>',
      'seed of the ranking sample and probe',
      nonNegativeInt('--seed'),
      DEFAULT_FEATURE_OPTIONS.seed,
    )
    .option('--json', 'print the feature set (features with their SQL, selection, warnings) as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Features are named by what they compute, e.g. MEAN(orders.total_amount WHERE orders.ordered_at < cutoff).',
        "Only child rows strictly before each target row's cutoff are used. The matrix is a Parquet file in the",
        'object store, recorded in the ledger and reused until the data, the reviewed metadata or these options change.',
        "The default cutoff is the target table's time index; when most child rows come after it (a sign-up date),",
        "it is the data's snapshot (the midnight after the latest child event), with a warning.",
        "fathom train uses this feature set when the target's table has relationships; fathom replay N rebuilds a matrix.",
        '',
        'Examples:',
        '  fathom features',
        '  fathom features --depth 1 --window 90',
        '  fathom features --cutoff-time 2025-06-30 --json > features.json',
      ].join('\n'),
    )
    .action(async (opts: FeaturesFlags, cmd: Command) => {
      const g = globals(cmd);
      const log = (m: string) => g.quiet || io.stderr.write(`${m}\n`);
      await withWorkspace(cmd, io, async (ws) => {
        const outcome = await buildFeatures(
          ws,
          { cwd: io.cwd, env: io.env, stdin: io.stdin },
          {
            depth: opts.depth,
            windowDays: opts.window ?? null,
            maxFeatures: opts.maxFeatures,
            seed: opts.seed,
            ...(opts.cutoffColumn !== undefined ? { column: opts.cutoffColumn } : {}),
            ...(opts.cutoffTime !== undefined ? { at: opts.cutoffTime } : {}),
            ...(opts.cutoffTable !== undefined ? { table: opts.cutoffTable } : {}),
            ...(opts.cutoff === false ? { none: true } : {}),
            workers: opts.workers,
          },
          { progress: log },
        );
        emit(io, opts.json, { ...outcome.record, reused: outcome.reused, ms: Math.round(outcome.ms) }, () =>
          render(outcome),
        );
      });
    });
}

function render(o: FeatureSetOutcome): string {
  const r = o.record;
  const cutoff = cutoffWords(r.cutoff, r.target.table);
  const reasons = new Map<string, number>();
  for (const d of r.selection.dropped) {
    const why = reasonGroup(d.reason);
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  const gain = new Map(r.selection.ranking.map((x) => [x.name, x.gain]));
  const top = r.selection.kept
    .slice()
    .sort((a, b) => (gain.get(b) ?? 0) - (gain.get(a) ?? 0))
    .slice(0, 15);
  return [
    `Feature set for ${r.target.table}.${r.target.column} (${r.target.kind}), depth ${r.depth}, cutoff ${cutoff}${r.windowDays === null ? '' : `, window ${r.windowDays} days`}`,
    `  ${r.features.length} features synthesized; matrix ${r.matrix.rows} rows x ${r.matrix.columns.length} columns, ${(r.matrix.bytes / 1e6).toFixed(2)} MB Parquet${o.reused ? ' (reused)' : ''} in ${(o.ms / 1000).toFixed(1)} s`,
    `  kept ${r.selection.kept.length}; dropped ${r.selection.dropped.length}: ${[...reasons].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`,
    ...r.warnings.map((w) => `  warning: ${w}`),
    '',
    table(
      ['feature', 'gain'],
      top.map((n) => [n, (gain.get(n) ?? 0).toFixed(3)]),
    ),
    '',
    "Full list with each feature's SQL: fathom features --json; in the catalog and the report too.",
  ].join('\n');
}

function days(v: string): number {
  const n = Number(v.replace(/d(ays?)?$/, ''));
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number of days, e.g. 90');
  return n;
}
