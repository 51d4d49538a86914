import type { Command } from 'commander';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { emit, type CliIO } from '../output.js';
import { globals, withWorkspace } from './common.js';
import { openInBrowser, writeReport } from '../../index.js';

export function registerReport(program: Command, io: CliIO): void {
  program
    .command('report')
    .option('--out <file>', 'where to write the HTML report (default: .fathom/report.html in the project)')
    .option('--open', 'open the report in the browser (xdg-open) when one is available')
    .option('--json', 'print {file, bytes, tables, charts} as JSON')
    .description(
      'Write the exploration report: one self-contained HTML file (charts inlined, works offline, PII masked)',
    )
    .addHelpText('after', '\nExamples:\n  fathom report --open\n  fathom report --out shop-report.html --json')
    .action(async (opts: { out?: string; open?: boolean; json?: boolean }, cmd: Command) => {
      const quiet = Boolean(globals(cmd).quiet);
      await withWorkspace(cmd, io, async (ws) => {
        if (!quiet) io.stderr.write('report: building the catalog and rendering\n');
        const summary = await writeReport(ws, opts.out === undefined ? undefined : resolve(io.cwd, opts.out));
        if (opts.open && !openInBrowser(summary.file, io.env) && !quiet) {
          io.stderr.write(
            `report: no browser opener (xdg-open) found; open ${pathToFileURL(summary.file).href} yourself\n`,
          );
        }
        emit(
          io,
          opts.json,
          summary,
          () =>
            `wrote ${summary.file} (${summary.tables} tables, ${summary.charts} charts, ${Math.round(summary.bytes / 1024)} kB)`,
        );
      });
    });
}
