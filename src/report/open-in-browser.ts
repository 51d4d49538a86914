import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The desktop's "open this file" command, if the PATH has one. */
function opener(env: NodeJS.ProcessEnv): string | undefined {
  const name = process.platform === 'darwin' ? 'open' : 'xdg-open';
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * Open a file in the user's browser, detached, without waiting. Returns false when there is no
 * opener (a server, CI): opening is a convenience and never fails the command.
 */
export function openInBrowser(file: string, env: NodeJS.ProcessEnv): boolean {
  const command = opener(env);
  if (!command) return false;
  try {
    const child = spawn(command, [file], { detached: true, stdio: 'ignore', env });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
