import { FathomError, toError } from '../../util/fathom-error.js';

/** The JSON body of every error the server answers: what went wrong, and which field when a field did. */
export interface ErrorBody {
  readonly error: string;
  /** Path of the bad field in the request, e.g. `rows/0/age`, `entities/2/cutoff`, `explain`, `body`. */
  readonly field?: string;
  /** Index of the bad row or entity. */
  readonly row?: number;
  readonly hint?: string;
  readonly [extra: string]: unknown;
}

/** An error with the HTTP status to answer and the body fields to add. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Omit<ErrorBody, 'error'> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** A thrown error as the status and body to send. Never a stack: the message and a hint at most. */
export function errorReply(thrown: unknown): { status: number; body: ErrorBody } {
  if (thrown instanceof HttpError) return { status: thrown.status, body: { error: thrown.message, ...thrown.extra } };
  const err = toError(thrown) as Error & {
    validation?: AjvError[];
    validationContext?: string;
    statusCode?: number;
    code?: string;
  };
  if (Array.isArray(err.validation) && err.validation.length > 0)
    return { status: 400, body: validationBody(err.validation[0]!, err.validationContext ?? 'body') };
  if (err instanceof FathomError) {
    const status = err.kind === 'bad_input' || err.kind === 'usage' ? 400 : err.kind === 'not_found' ? 404 : 500;
    return { status, body: { error: err.message, ...(err.hint ? { hint: err.hint } : {}) } };
  }
  // Fastify's own refusals (bad JSON, empty body, wrong media type, too large) carry their status.
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    const hint =
      err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'Send Content-Type: application/json.'
        : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'Split the rows over several requests.'
          : undefined;
    return { status: err.statusCode, body: { error: bodyMessage(err), field: 'body', ...(hint ? { hint } : {}) } };
  }
  return { status: 500, body: { error: `internal error: ${err.message}` } };
}

function bodyMessage(err: Error & { code?: string }): string {
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
    return `the request body is not valid JSON: ${err.message}`;
  return err.message;
}

/** Ajv's first error (it stops at the first: allErrors is off, against request-made DoS) as a field and a sentence. */
function validationBody(e: AjvError, context: string): ErrorBody {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const child =
    typeof e.params.missingProperty === 'string'
      ? e.params.missingProperty
      : typeof e.params.additionalProperty === 'string'
        ? e.params.additionalProperty
        : null;
  const segments = child === null ? path : [...path, child];
  const field = segments.length > 0 ? segments.join('/') : context;
  const row =
    (path[0] === 'rows' || path[0] === 'entities') && /^\d+$/.test(path[1] ?? '') ? Number(path[1]) : undefined;
  const where = context === 'querystring' ? 'query parameter' : 'field';
  const name = JSON.stringify(field);
  let error: string;
  switch (e.keyword) {
    case 'required':
      error =
        segments.length === 1
          ? `missing field ${name}`
          : `missing ${where} ${name} (send null when a feature's value is unknown)`;
      break;
    case 'additionalProperties':
      error = `unknown ${where} ${name}`;
      break;
    case 'type':
      error = `${where} ${name} must be ${String(e.params.type).split(',').join(' or ')}`;
      break;
    case 'enum':
      error = `${where} ${name} must be one of ${JSON.stringify(e.params.allowedValues)}`;
      break;
    case 'minItems':
      error = `${where} ${name} must hold at least ${String(e.params.limit)} item(s)`;
      break;
    case 'maxItems':
      error = `${where} ${name} holds more than ${String(e.params.limit)} items, the most one request may send`;
      break;
    default:
      error = `${where} ${name} ${e.message ?? 'is invalid'}`;
  }
  return { error, field, ...(row === undefined ? {} : { row }) };
}
