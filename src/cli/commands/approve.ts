import confirm from '@inquirer/confirm';
import type { CliIO } from '../output.js';

/**
 * The approval gate for what costs money or reaches production: `--yes` given ahead of time,
 * else a question at the terminal. Without a terminal (a script, CI) there is nobody to ask,
 * so the answer is no and the caller's error says how to approve.
 */
export async function approved(io: CliIO, yes: boolean | undefined, question: string): Promise<boolean> {
  if (yes) return true;
  if (!io.stdin.isTTY || !io.stderr.isTTY) return false;
  return confirm({ message: question, default: false }, { input: io.stdin, output: io.stderr });
}
