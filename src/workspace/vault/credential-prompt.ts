import { FathomError } from '../../util/fathom-error.js';

export interface ObtainSecretOptions {
  /** Environment variable that, when set and non-empty, supplies the secret. */
  readonly envVar?: string;
  /** The question shown at the terminal, e.g. `Password for postgres://app@db/shop`. */
  readonly prompt: string;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the prompt is drawn; stderr, because stdout carries `--json` output. */
  readonly output?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Another way to supply it, named in the error when there is no terminal. */
  readonly alternative?: string;
}

/**
 * A secret from the named env var, else typed (masked) at the terminal. Without a terminal
 * (CI, pipes) there is nobody to ask, so fail and say which variable to set.
 */
export async function obtainSecret(options: ObtainSecretOptions): Promise<string> {
  const env = options.env ?? process.env;
  if (options.envVar !== undefined) {
    const value = env[options.envVar];
    if (value !== undefined && value !== '') return value;
  }
  if (options.stdin.isTTY !== true) {
    const ways = [options.envVar, options.alternative].filter((w) => w !== undefined);
    throw new FathomError('usage', `${options.prompt}: no terminal to ask on, and no secret was given`, {
      hint: ways.length > 0 ? `Set ${ways.join(' or ')}.` : 'Run this command in a terminal.',
    });
  }
  // Loaded lazily: the prompt library is only needed when a person is asked.
  const { default: password } = await import('@inquirer/password');
  try {
    return await password(
      {
        message: options.prompt,
        mask: '*',
        validate: (value: string) => (value.length > 0 ? true : 'Type a value (it is not echoed).'),
      },
      { input: options.stdin, output: options.output ?? process.stderr },
    );
  } catch (err) {
    if (err instanceof Error && err.name === 'ExitPromptError') {
      throw new FathomError('usage', `${options.prompt}: cancelled`);
    }
    throw err;
  }
}
