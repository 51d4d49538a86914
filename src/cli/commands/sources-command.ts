import type { Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { SOURCES, TABLES, type SourceRecord } from '../../sources/source-actions.js';
import type { SourceTable } from '../../sources/source.js';
import { tableSummary } from './connect-command.js';

export function registerSources(program: Command, io: CliIO): void {
  program
    .command('sources')
    .option('--json', 'print sources and tables as JSON')
    .description('List connected sources and their tables, as recorded in the ledger')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const ledger = await ws.ledger();
        const sources = await ledger.listState<SourceRecord>(SOURCES);
        const tables = await ledger.listState<SourceTable>(TABLES);
        const doc = sources.map((s) => ({
          name: s.key,
          kind: s.value.kind,
          location: s.value.location,
          credential: s.value.credential,
          tables: tables.filter((t) => t.value.source === s.key).map((t) => tableSummary(t.value)),
        }));
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
