import { Option, type Command } from 'commander';
import { emit, table, type CliIO } from '../output.js';
import { nonNegativeInt, positiveInt, withWorkspace } from './common.js';
import { logPage, summarizeEntry, type EntryStatus } from '../../index.js';

interface LogOptions {
  json?: boolean;
  kind?: string;
  status?: EntryStatus;
  limit: number;
  before?: number;
  after?: number;
}

export function registerLog(program: Command, io: CliIO): void {
  program
    .command('log')
    .option('--kind <kind>', 'only entries of this action kind, e.g. source.connect')
    .addOption(
      new Option('--status <status>', 'only entries with this status').choices([
        'started',
        'succeeded',
        'failed',
        'reused',
        'recorded',
      ]),
    )
    .option('-n, --limit <n>', 'entries per page', positiveInt('--limit'), 20)
    .option('--before <seq>', 'page backwards: entries older than this sequence number', positiveInt('--before'))
    .option(
      '--after <seq>',
      'page forwards: entries newer than this sequence number (oldest first; 0 = from the start)',
      nonNegativeInt('--after'),
    )
    .option('--json', 'print the page as JSON (with the cursor for the next page)')
    .description('Page through the action log, newest first')
    .addHelpText(
      'after',
      '\nExamples:\n  fathom log --kind explore.profile --status reused\n  fathom log --before 120 -n 50 --json',
    )
    .action(async (opts: LogOptions, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const { entries, next } = await logPage(await ws.ledger(), {
          limit: opts.limit,
          ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
          ...(opts.status !== undefined ? { status: opts.status } : {}),
          ...(opts.before !== undefined ? { before: opts.before } : {}),
          ...(opts.after !== undefined ? { after: opts.after } : {}),
        });
        emit(io, opts.json, { entries, next }, () => {
          if (entries.length === 0) return 'no matching log entries';
          const rows = entries.map((e) => [
            String(e.seq),
            e.at.slice(0, 19).replace('T', ' '),
            e.kind,
            e.status,
            e.workerId,
            summarizeEntry(e),
          ]);
          return (
            table(['seq', 'at (UTC)', 'kind', 'status', 'worker', 'detail'], rows) +
            (next ? `\n(more: ${nextCommand(opts, next)})` : '')
          );
        });
      });
    });
}

// The same filters with the new cursor: without them the hint would page another list.
function nextCommand(opts: LogOptions, next: { after?: number; before?: number }): string {
  const parts = ['fathom log'];
  if (opts.kind) parts.push(`--kind ${opts.kind}`);
  if (opts.status) parts.push(`--status ${opts.status}`);
  parts.push(`-n ${opts.limit}`);
  if (next.after !== undefined) {
    parts.push(`--after ${next.after}`);
    if (opts.before !== undefined) parts.push(`--before ${opts.before}`);
  } else parts.push(`--before ${next.before}`);
  return parts.join(' ');
}
