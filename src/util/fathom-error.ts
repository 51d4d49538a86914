/**
 * Errors a user can act on. `code` maps to the CLI exit code: 2 for bad usage or bad input
 * (the message names the file, row or column, and the fix), 1 for a failure of ours or of a
 * system we depend on. Attach the SQL text, file or row as `cause` context.
 */
export type ErrorKind = 'bad_input' | 'usage' | 'not_found' | 'failed' | 'integrity';

export class FathomError extends Error {
  readonly kind: ErrorKind;
  /** How to fix it, shown on its own line after the message. */
  readonly hint: string | undefined;
  readonly context: Readonly<Record<string, unknown>> | undefined;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { hint?: string; cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FathomError';
    this.kind = kind;
    this.hint = options.hint;
    this.context = options.context;
  }

  get exitCode(): 1 | 2 {
    return this.kind === 'failed' || this.kind === 'integrity' ? 1 : 2;
  }
}

export function badInput(message: string, hint?: string, context?: Record<string, unknown>): FathomError {
  return new FathomError('bad_input', message, { hint, context });
}

/** Turn anything thrown into an Error (unknown throws happen: strings, driver objects). */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}
