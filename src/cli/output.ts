import { FathomError, toError } from '../index.js';

/** Streams the CLI writes to; injectable so commands are tested without a terminal. */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/**
 * Print a command's result: with --json exactly one JSON document on stdout; otherwise the
 * human rendering. Progress and logs always go to stderr, so stdout stays parseable.
 */
export function emit(io: CliIO, json: boolean | undefined, doc: unknown, human: () => string): void {
  if (json) {
    io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    const text = human();
    if (text) io.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }
}

/** Write an error for a person: the message, then how to fix it. Returns the exit code. */
export function reportError(io: CliIO, thrown: unknown, debug: boolean, json = false): number {
  const err = toError(thrown);
  const known = err instanceof FathomError;
  const code = known ? err.exitCode : 1;
  if (known) {
    io.stderr.write(`fathom: ${err.message}\n`);
    if (err.hint) io.stderr.write(`  fix: ${err.hint}\n`);
    const sql = err.context?.sql;
    if (debug && typeof sql === 'string') io.stderr.write(`  sql: ${sql}\n`);
    if (debug && err.cause) io.stderr.write(`  cause: ${String(toError(err.cause).stack ?? err.cause)}\n`);
  } else {
    io.stderr.write(`fathom: internal error: ${err.message}\n`);
    io.stderr.write(debug ? `${err.stack}\n` : '  (run with --debug for the stack trace, and please report it)\n');
  }
  // A script that asked for --json gets a JSON document on failure too (exactly one: a
  // command that already printed its report, like verify, sets context.reportedOnStdout).
  if (json && !(known && err.context?.reportedOnStdout === true)) {
    const error = {
      kind: known ? err.kind : 'internal',
      message: err.message,
      hint: known ? (err.hint ?? null) : null,
      exitCode: code,
    };
    io.stdout.write(JSON.stringify({ error }, null, 2) + '\n');
  }
  return code;
}

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A cell on one line: a value with a newline (a quoted CSV field, a column name) broke the
 * table apart, and an ESC byte in data would reach the terminal as a control sequence.
 */
export function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Align rows of cells into columns for terminal tables. */
export function table(header: readonly string[], cells: ReadonlyArray<readonly string[]>): string {
  const rows = cells.map((r) => r.map(oneLine));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
