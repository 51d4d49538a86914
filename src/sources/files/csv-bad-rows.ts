import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { atomicWrite } from '../../util/atomic-write.js';
import { FathomError } from '../../util/fathom-error.js';
import type { CsvReject } from './csv-scan.js';
import { locateLines } from './line-locator.js';

export interface BadRow {
  /** Physical line in the original file (1-based). */
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

/** Rejects with physical line numbers and a reason a person can act on. */
export async function describeBadRows(
  readPath: string,
  gzip: boolean,
  rejects: readonly CsvReject[],
): Promise<BadRow[]> {
  const positions = rejects.map((r) => r.lineBytePosition).filter((p): p is number => p !== null);
  const lines = await locateLines(readPath, gzip, positions);
  return rejects
    .map((r) => ({
      line: (r.lineBytePosition === null ? undefined : lines.get(r.lineBytePosition)) ?? r.duckLine,
      reason: reasonFor(r),
      text: r.text.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, ''),
    }))
    .sort((a, b) => a.line - b.line);
}

const ENCODING_REASON = 'bytes that are not valid UTF-8';

function reasonFor(reject: CsvReject): string {
  const count = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(reject.message);
  switch (reject.errorType) {
    case 'TOO MANY COLUMNS':
    case 'MISSING COLUMNS':
      return count === null ? reject.message : `expected ${count[1]} fields, found ${count[2]}`;
    case 'UNQUOTED VALUE':
      return 'a quoted value is not closed, or text follows its closing quote';
    case 'LINE SIZE OVER MAXIMUM':
      return 'the line is longer than the 2 MB limit';
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return ENCODING_REASON;
    case 'CAST':
      return `${reject.column === null ? 'a value' : `column "${reject.column}"`}: ${reject.message}`;
    default:
      return reject.message || reject.errorType.toLowerCase();
  }
}

const SHOWN = 5;

/** The error for a file with malformed rows: `file:line: reason`, first row first. */
export function malformedRowsError(file: string, rows: readonly BadRow[], quarantinePath: string): FathomError {
  const first = rows[0] as BadRow;
  const rest = rows.slice(1, SHOWN).map((r) => `  ${file}:${r.line}: ${r.reason}`);
  const more = rows.length > SHOWN ? [`  … and ${rows.length - SHOWN} more`] : [];
  const summary = rows.length === 1 ? '' : ` (${rows.length} malformed rows)`;
  const encoding = rows.some((r) => r.reason === ENCODING_REASON)
    ? ' If the file is not UTF-8, set the source option encoding (e.g. windows-1252).'
    : '';
  return new FathomError(
    'bad_input',
    [`${file}:${first.line}: ${first.reason}${summary}`, ...rest, ...more].join('\n'),
    {
      hint: `Fix the row${rows.length === 1 ? '' : 's'} in ${file}, or pass --quarantine to set malformed rows aside (they go to ${quarantinePath}).${encoding}`,
      context: { file, rows: rows.slice(0, 100) },
    },
  );
}

export function quarantineFile(cacheDir: string, table: string): string {
  return join(cacheDir, 'quarantine', `${table}.csv`);
}

/** Write set-aside rows as CSV (line, reason, row); remove a stale file when there are none. */
export async function writeQuarantine(path: string, rows: readonly BadRow[]): Promise<void> {
  if (rows.length === 0) {
    await rm(path, { force: true });
    return;
  }
  const cell = (v: string | number) =>
    typeof v === 'number' || !/[",\r\n]/.test(v) ? String(v) : `"${v.replaceAll('"', '""')}"`;
  const body = rows.map((r) => [r.line, r.reason, r.text].map(cell).join(',')).join('\n');
  await atomicWrite(path, `line,reason,row\n${body}\n`);
}
