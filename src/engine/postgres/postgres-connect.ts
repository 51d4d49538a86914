/**
 * Opening a pg Pool: URL parsing with the password kept out of every message, per-connection
 * session settings, and connection failures turned into errors a person can act on.
 */
import pg from 'pg';
import { FathomError, toError } from '../../util/fathom-error.js';
import { quoteIdent } from '../quote.js';
import { POSTGRES_TYPES } from './postgres-values.js';

export interface PostgresOptions {
  /** `postgres://user@host:port/database`; a password here is allowed but `password` wins. */
  readonly url: string;
  readonly password?: string;
  /** Schema for unqualified names and the only one `listTables` shows. Must exist. */
  readonly schema?: string;
  /** Maximum pooled connections (pg's default is 10). */
  readonly poolSize?: number;
}

/** Where a connection goes, without the password: safe to print and to log. */
export interface PostgresTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

export interface ParsedUrl {
  readonly target: PostgresTarget;
  readonly config: pg.PoolConfig;
  readonly password: string | undefined;
}

export function parsePostgresUrl(options: PostgresOptions): ParsedUrl {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new FathomError('bad_input', 'The Postgres URL is not a valid URL', {
      hint: 'Write it as postgres://user@host:5432/database (put the password in the vault, not the URL).',
    });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new FathomError('bad_input', `The Postgres URL must start with postgres://, not ${url.protocol}//`, {
      hint: 'Write it as postgres://user@host:5432/database.',
    });
  }
  const password = options.password ?? (url.password === '' ? undefined : decodeURIComponent(url.password));
  // pg lets a connection string override every explicit option, an empty password included,
  // so the password travels inside the URL handed to pg and nowhere else.
  url.password = password === undefined ? '' : encodeURIComponent(password);
  const user = decodeURIComponent(url.username) || process.env['PGUSER'] || 'postgres';
  if (url.username === '') url.username = encodeURIComponent(user);
  const target: PostgresTarget = {
    host: url.hostname || url.searchParams.get('host') || 'localhost',
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.slice(1)) || user,
    user,
  };
  const config: pg.PoolConfig = {
    connectionString: url.toString(),
    types: POSTGRES_TYPES,
    connectionTimeoutMillis: 10_000,
    ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
  };
  return { target, config, password };
}

/**
 * Every connection: UTC and ISO dates so value text parses the same everywhere, and the
 * schema first on the search path.
 */
export function sessionSql(schema: string | undefined): string {
  const settings = ["SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'"];
  if (schema !== undefined) settings.push(`SET search_path = ${quoteIdent(schema)}`);
  return settings.join('; ');
}

const CONNECTION_CODES = /^(08|28|3D|57P0)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

/** Whether a pg or socket error means the connection itself failed. */
export function isConnectionError(thrown: unknown): boolean {
  const code = (thrown as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || CONNECTION_CODES.test(code))) return true;
  return /timeout expired|Connection terminated/i.test(toError(thrown).message);
}

export function connectionFailed(target: PostgresTarget, thrown: unknown, password?: string): FathomError {
  let reason = toError(thrown).message;
  if (password !== undefined && password !== '') reason = reason.replaceAll(password, '***');
  const where = `${target.host}:${target.port}/${target.database} as ${target.user}`;
  return new FathomError('failed', `Could not connect to Postgres at ${where}: ${reason}`, {
    cause: thrown,
    hint:
      `Check that the server is running and accepts connections on ${target.host}:${target.port}, ` +
      `that database "${target.database}" exists, and that user "${target.user}" and its password are right.`,
    context: { engine: 'postgres', ...target },
  });
}
