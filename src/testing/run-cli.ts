import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runCli } from '../cli/main.js';
import type { CliIO } from '../cli/output.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (throws if it is not exactly one JSON document). */
  json<T = any>(): T;
}

/**
 * Run the real CLI in-process with captured streams and no terminal on stdin, exactly as a
 * script or CI would run it. `env` replaces the environment entirely, so tests never pick up
 * the developer's FATHOM_* variables by accident.
 */
export async function runFathom(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d: Buffer) => out.push(d.toString()));
  stderr.on('data', (d: Buffer) => err.push(d.toString()));
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIO = { stdout, stderr, stdin, env: options.env ?? {}, cwd: options.cwd };
  const code = await runCli(['node', 'fathom', ...args], io);
  const stdoutText = out.join('');
  return {
    code,
    stdout: stdoutText,
    stderr: err.join(''),
    json: () => JSON.parse(stdoutText),
  };
}

/** Run the CLI and fail the test, with its stderr, unless it exits 0. */
export async function runFathomOk(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  const run = await runFathom(args, options);
  assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
  return run;
}
