import { InvalidArgumentError, type Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { positiveInt, withWorkspace } from './common.js';
import {
  DEFAULT_MIN_ROWS,
  DEFAULT_SINCE,
  DEFAULT_THRESHOLD,
  FathomError,
  monitorModels,
  type ModelMonitor,
  type MonitorReport,
} from '../../index.js';

interface MonitorFlags {
  model?: string;
  since: string;
  threshold: number;
  minRows: number;
  failOnDrift?: boolean;
  json?: boolean;
}

export function registerMonitor(program: Command, io: CliIO): void {
  program
    .command('monitor')
    .description(
      'Drift report of served models: PSI of each feature and of the predictions against training, missing values, volume per day',
    )
    .option('--model <name>', 'one model (default: every model with served traffic, and every production model)')
    .option('--since <when>', 'window start: ISO date or time, or a span back from now (36h, 7d, 2w)', DEFAULT_SINCE)
    .option(
      '--threshold <psi>',
      'PSI above which a feature or the prediction has drifted',
      psiThreshold,
      DEFAULT_THRESHOLD,
    )
    .option('--min-rows <n>', 'served rows needed before drift is judged', positiveInt('--min-rows'), DEFAULT_MIN_ROWS)
    .option('--fail-on-drift', 'exit 1 when retraining is proposed (for cron and CI)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nReads the serving log (live traffic of fathom serve; batch scoring is not logged) and records\neach run in the ledger (deploy.monitor). Time-dependent features (dates, TIME_SINCE…) are\nreported apart: they drift as time passes and never alone propose retraining.\n\nExamples:\n  fathom monitor\n  fathom monitor --model customers.churned --since 2025-06-01 --json\n  fathom monitor --fail-on-drift -q   # cron: exit 1 when a retrain is due',
    )
    .action(async (opts: MonitorFlags, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const report = await monitorModels(ws, {
          ...(opts.model !== undefined ? { model: opts.model } : {}),
          since: opts.since,
          threshold: opts.threshold,
          minRows: opts.minRows,
        });
        emit(io, opts.json, report, () => render(report));
        if (opts.failOnDrift && report.retrain) {
          const names = report.models.filter((m) => m.retrain.proposed).map((m) => m.model);
          throw new FathomError(
            'failed',
            `Drift above ${report.threshold}: retraining proposed for ${names.join(', ')}`,
            {
              hint: 'Retrain with the commands in the report, or raise --threshold if this drift is expected.',
              context: { reportedOnStdout: opts.json === true },
            },
          );
        }
      });
    });
}

function psiThreshold(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(
      `--threshold must be a positive number (PSI; 0.1 moderate, 0.25 major), got "${value}"`,
    );
  return n;
}

function render(r: MonitorReport): string {
  if (r.models.length === 0)
    return 'No served traffic and no production model to monitor. Promote a model (fathom promote NAME@V production) and serve it.';
  return r.models.map(renderModel).join('\n\n') + (r.seq !== null ? `\n\nrecorded as ledger entry ${r.seq}` : '');
}

function renderModel(m: ModelMonitor): string {
  const lines = [
    `${m.model}@${m.version} (${m.stage}): ${m.records} rows served since ${m.since.slice(0, 16).replace('T', ' ')} UTC${m.records !== m.scored ? ` (${m.scored} by version ${m.version})` : ''}`,
  ];
  const v = m.volume;
  lines.push(
    `  volume: ${v.today} today${v.previousByNow !== null ? ` (${v.previousByNow.toFixed(1)} by this time on earlier days)` : ''}${v.previousMean !== null ? `, ${v.previousMean.toFixed(1)}/day before` : ''}; per day${v.days.length > 7 ? ' (last 7)' : ''}: ${v.days
      .slice(-7)
      .map((d) => `${d.day.slice(5)} ${d.rows}`)
      .join(', ')}`,
  );
  if (m.prediction)
    lines.push(`  prediction: PSI ${m.prediction.psi.toFixed(3)}${m.prediction.drifted ? ' DRIFTED' : ''}`);
  const stable = m.features.filter((f) => !f.timeDependent);
  const time = m.features.filter((f) => f.timeDependent);
  const row = (f: ModelMonitor['features'][number]) => [
    f.feature,
    f.psi.toFixed(3),
    `${pct(f.missing.training)} → ${pct(f.missing.live)}`,
    f.drifted ? 'drifted' : '',
  ];
  if (stable.length > 0 && m.scored > 0)
    lines.push('', indent(table(['feature', 'PSI', 'missing (train → live)', ''], stable.slice(0, 10).map(row))));
  if (time.length > 0 && m.scored > 0)
    lines.push(
      '',
      '  time-dependent (they move as time passes; never alone a reason to retrain):',
      indent(table(['feature', 'PSI', 'missing (train → live)', ''], time.map(row))),
    );
  if (m.findings.length > 0) lines.push('', '  findings:', ...m.findings.map((f) => `    - ${f.message}`));
  if (m.retrain.proposed) {
    lines.push(
      '',
      `  retraining proposed (${m.retrain.reasons.join('; ')}):`,
      `    ${m.retrain.commands.join(' && ')}`,
      '    (or fathom run, the whole pipeline)',
    );
  } else if (m.scored > 0) {
    lines.push('', '  no retraining needed');
  }
  return lines.join('\n');
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
