import { isIP } from 'node:net';
import { badInput } from '../../util/fathom-error.js';

/** `token`: every request but /health needs the bearer token; `none`: open; `auto`: token iff not loopback. */
export const AUTH_MODES = ['token', 'none', 'auto'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** How a server is set up, resolved once (defaults, then flags) and passed to createServer. */
export interface ServeOptions {
  /** The address the server will listen on; decides `auth: auto`. */
  readonly host: string;
  readonly port: number;
  /** `NAME[@VERSION|@STAGE]` per served model; empty: the production version of every registered model. */
  readonly models: readonly string[];
  readonly auth: AuthMode;
  /** Most rows or entities one request may hold. */
  readonly maxRows: number;
  /** Fastify's pino request log on stderr. Off by default: it costs latency on every request. */
  readonly logRequests: boolean;
}

export const SERVE_DEFAULTS: ServeOptions = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  models: [],
  auth: 'auto',
  maxRows: 10_000,
  logRequests: false,
});

export function resolveServeOptions(given: Partial<ServeOptions> = {}): Readonly<ServeOptions> {
  const o: ServeOptions = {
    ...SERVE_DEFAULTS,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  };
  if (!(AUTH_MODES as readonly string[]).includes(o.auth))
    throw badInput(`Unknown auth mode ${JSON.stringify(o.auth)}`, `Use one of: ${AUTH_MODES.join(', ')}.`);
  if (!Number.isSafeInteger(o.maxRows) || o.maxRows < 1)
    throw badInput(`The most rows per request must be a positive integer, got ${o.maxRows}`, 'e.g. --max-rows 10000');
  if (!Number.isSafeInteger(o.port) || o.port < 0 || o.port > 65535)
    throw badInput(`Port ${o.port} is not a TCP port`, 'Use 0-65535 (0 picks a free one).');
  return Object.freeze({ ...o, models: Object.freeze([...o.models]) });
}

/** Only this machine can reach the address: 127.0.0.0/8, ::1 (or IPv4-mapped), localhost. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(h) === 6 && /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(h);
}

/** Whether requests need the bearer token under these options. */
export function requiresToken(o: Pick<ServeOptions, 'auth' | 'host'>): boolean {
  return o.auth === 'token' || (o.auth === 'auto' && !isLoopback(o.host));
}
