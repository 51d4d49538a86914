import type { Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { globals, withWorkspace } from './common.js';
import { connectAndRecord, tableSummary } from '../../index.js';

interface ConnectOptions {
  json?: boolean;
  passwordEnv?: string;
  password?: boolean;
  delimiter?: string;
  quote?: string;
  encoding?: string;
  header?: boolean;
  quarantine?: boolean;
  replace?: boolean;
  schema?: string[];
}

export function registerConnect(program: Command, io: CliIO): void {
  program
    .command('connect')
    .argument('<name>', 'a short name for the source, e.g. shop')
    .argument(
      '<location>',
      'a folder, file or glob of CSV/TSV/Parquet/JSON/NDJSON; a SQLite or DuckDB file; or a postgres:// URL',
    )
    .option('--password-env <VAR>', 'read the database password from this environment variable')
    .option('--password', 'ask for the database password at the terminal (hidden)')
    .option('--delimiter <char>', 'CSV delimiter (default: detected)')
    .option('--quote <char>', 'CSV quote character (default: detected)')
    .option('--encoding <name>', 'text encoding of CSV files, e.g. latin1 (default: detected)')
    .option('--no-header', 'CSV files have no header row (default: detected)')
    .option(
      '--quarantine',
      'set malformed CSV rows aside (counted, written to .fathom/cache/quarantine/) instead of failing',
    )
    .option('--schema <names...>', 'Postgres: only tables in these schemas (default: every non-system schema)')
    .option('--replace', 'point an existing source name at a new location')
    .option('--json', 'print the source and its tables as JSON')
    .description(
      'Connect a data source: discover its tables, fingerprint them, record it in the ledger and fathom.yaml',
    )
    .addHelpText(
      'after',
      `
Passwords never go into fathom.yaml, the ledger, logs or --json output: they are encrypted in
.fathom/vault.json (AES-256-GCM) with FATHOM_MASTER_KEY (64 hex chars) or a passphrase
(FATHOM_VAULT_PASSPHRASE, or typed at the prompt). A password inside a postgres:// URL is
moved into the vault too.

Examples:
  fathom connect shop ./data/shop                  # every data file in the folder is a table
  fathom connect sales './exports/*.csv' --delimiter ';' --encoding latin1
  fathom connect crm ./crm.sqlite
  fathom connect wh postgres://analyst@10.0.0.5/sales --password-env PGPASSWORD`,
    )
    .action(async (name: string, location: string, opts: ConnectOptions, cmd: Command) => {
      const options: Record<string, unknown> = {};
      if (opts.delimiter !== undefined) options.delimiter = opts.delimiter;
      if (opts.quote !== undefined) options.quote = opts.quote;
      if (opts.encoding !== undefined) options.encoding = opts.encoding;
      if (opts.header === false) options.header = false;
      if (opts.quarantine) options.quarantine = true;
      if (opts.schema) options.schemas = opts.schema;
      const quiet = Boolean(globals(cmd).quiet);
      await withWorkspace(cmd, io, async (ws) => {
        const outcome = await connectAndRecord(
          ws,
          {
            name,
            location,
            options,
            ...(opts.passwordEnv !== undefined ? { passwordEnv: opts.passwordEnv } : {}),
            ...(opts.password ? { askPassword: true } : {}),
            ...(opts.replace ? { replace: true } : {}),
          },
          { cwd: io.cwd, env: io.env, stdin: io.stdin, log: (m) => quiet || io.stderr.write(`${m}\n`) },
        );
        const tables = outcome.tables.map(tableSummary);
        emit(io, opts.json, { source: outcome.source, tables, reused: outcome.reused, seq: outcome.seq }, () => {
          const rows = tables.map((t) => [
            t.name,
            String(t.rows ?? '?'),
            String(t.columns.length),
            String(t.quarantined),
            t.fingerprint.slice(0, 12),
          ]);
          return [
            `${outcome.reused ? 'Unchanged' : 'Connected'} source ${name} (${outcome.source.kind}: ${outcome.source.location})${outcome.source.credential ? ', password in the vault' : ''}`,
            table(['table', 'rows', 'columns', 'quarantined', 'fingerprint'], rows),
            '',
            'next: fathom explore',
          ].join('\n');
        });
      });
    });
}
