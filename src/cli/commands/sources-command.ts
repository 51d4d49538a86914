import type { Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { listSources } from '../../index.js';

export function registerSources(program: Command, io: CliIO): void {
  program
    .command('sources')
    .option('--json', 'print sources and tables as JSON')
    .description('List connected sources and their tables, as recorded in the ledger')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const doc = await listSources(ws);
        emit(io, opts.json, { sources: doc }, () => {
          if (doc.length === 0) return 'No sources yet. Connect one: fathom connect NAME LOCATION';
          return doc
            .map(
              (s) =>
                `${s.name} (${s.kind}: ${s.location})\n` +
                table(
                  ['table', 'rows', 'columns', 'fingerprint'],
                  s.tables.map((t) => [
                    t.name,
                    String(t.rows ?? '?'),
                    String(t.columns.length),
                    t.fingerprint.slice(0, 12),
                  ]),
                ),
            )
            .join('\n\n');
        });
      });
    });
}
