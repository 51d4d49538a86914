import type { Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { progressBar } from '../progress.js';
import { globals, positiveInt, withWorkspace } from './common.js';
import { DEFAULT_CHUNK, predictBatch, versionKey, type BatchSummary } from '../../index.js';

interface PredictFlags {
  model: string;
  input: string;
  output: string;
  chunk: number;
  explain?: boolean;
  json?: boolean;
}

export function registerPredict(program: Command, io: CliIO): void {
  program
    .command('predict')
    .description(
      'Batch scoring: predict every row of a file or table with a registered model, into a CSV or Parquet file',
    )
    .requiredOption(
      '--model <name[@version]>',
      'the model: NAME (its production version, else its latest), NAME@3, NAME@staging',
    )
    .requiredOption(
      '--input <file|source.table>',
      'a CSV, Parquet or NDJSON file, or SOURCE.TABLE: either the model’s feature columns or its entity keys (+ optional cutoff)',
    )
    .requiredOption(
      '--output <file>',
      'where to write the predictions: FILE.parquet or FILE.csv (written whole or not at all)',
    )
    .option('--chunk <rows>', 'rows scored per step (bounds memory)', positiveInt('--chunk'), DEFAULT_CHUNK)
    .option('--explain', 'add each row’s SHAP contributions (contribution:FEATURE columns)')
    .option('--json', 'print a summary as JSON')
    .addHelpText(
      'after',
      '\nInput with the model’s feature columns is scored as is. Input with the entity keys of the\nmodel’s table (e.g. customer_id, and optionally cutoff) gets its features computed from the\nsource, many entities per query. Batch rows are not written to the serving log (fathom monitor\nwatches live traffic).\n\nExamples:\n  fathom predict --model customers.churned --input new-customers.csv --output scores.parquet\n  fathom predict --model customers.churned@2 --input shop.customers --output scores.csv --explain --json',
    )
    .action(async (opts: PredictFlags, cmd: Command) => {
      const quiet = Boolean(globals(cmd).quiet);
      await withWorkspace(cmd, io, async (ws) => {
        let bar: ReturnType<typeof progressBar> | undefined;
        let started = performance.now();
        let summary: BatchSummary;
        try {
          summary = await predictBatch(
            ws,
            opts.model,
            opts.input,
            opts.output,
            { chunk: opts.chunk, explain: opts.explain === true, cwd: io.cwd },
            {
              resolved: (v) => {
                bar = progressBar(io, `predict ${versionKey(v.name, v.version)}`, quiet);
                started = performance.now();
              },
              progress: (done, total) =>
                bar?.update({
                  done,
                  total,
                  label: `rows, ${Math.round(done / Math.max(1e-3, (performance.now() - started) / 1000))} rows/s`,
                }),
            },
          );
        } finally {
          bar?.stop();
        }
        emit(io, opts.json, summary, () => render(summary));
      });
    });
}

function render(s: BatchSummary): string {
  const rate = Math.round(s.rows / Math.max(1e-3, s.ms / 1000));
  return [
    `wrote ${s.rows} predictions of ${versionKey(s.model, s.version)} to ${s.output} (${s.format}) in ${(s.ms / 1000).toFixed(1)} s, ${rate} rows/s`,
    `  input ${s.input}: ${s.mode === 'features' ? 'feature columns, scored as given' : `entity keys, features computed from the source (cutoff ${s.now} where none was given)`}`,
    `  columns: ${s.columns.length > 8 ? `${s.columns.slice(0, 8).join(', ')}, … (${s.columns.length})` : s.columns.join(', ')}`,
  ].join('\n');
}
