import { InvalidArgumentError, type Command } from 'commander';
import type { CliIO } from '../output.js';
import { openWorkspace, type Workspace } from '../../index.js';

export interface GlobalOptions {
  readonly project?: string;
  readonly debug?: boolean;
  readonly quiet?: boolean;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Open the workspace named by --project, or the one around the current folder. */
export async function workspaceFor(cmd: Command, io: CliIO): Promise<Workspace> {
  const g = globals(cmd);
  return openWorkspace(g.project ?? io.cwd, {
    env: io.env,
    flags: g.debug ? { logLevel: 'debug' } : g.quiet ? { logLevel: 'quiet' } : {},
  });
}

/** Run a command body against the workspace, always closing it. */
export async function withWorkspace<T>(cmd: Command, io: CliIO, body: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await workspaceFor(cmd, io);
  try {
    return await body(ws);
  } finally {
    await ws.close();
  }
}

export function positiveInt(name: string) {
  return integerAtLeast(name, 1, 'a positive integer');
}

/** For cursors, where 0 means "from the start" (e.g. `log --after 0`). */
export function nonNegativeInt(name: string) {
  return integerAtLeast(name, 0, 'an integer >= 0');
}

function integerAtLeast(name: string, min: number, what: string) {
  return (value: string): number => {
    const n = Number(value);
    // Safe integers only: 1e20 got through and failed in the ledger with a library-level hint.
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be ${what}, got "${value}"`);
    return n;
  };
}
