import { FathomError, toError } from '../util/fathom-error.js';

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// Postgres SQLSTATE: 08 connection exception, 57P01-57P03 admin shutdown / crash / cannot
// connect now (what a restarting server answers).
const SQLSTATE = /^(08|57P0[1-3])/;

/** Whether an error (or any error in its cause chain) says the metadata database was unreachable. */
export function isUnreachable(thrown: unknown): boolean {
  for (let e: unknown = thrown, depth = 0; e != null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK.has(code) || SQLSTATE.test(code))) return true;
    if (
      /Connection terminated|connection timeout|the database system is (starting up|shutting down)|Client has encountered a connection error/i.test(
        toError(e).message,
      )
    )
      return true;
  }
  return false;
}

/**
 * Run `fn`, retrying while the metadata database is unreachable (a Postgres restart, a
 * network blip), for up to `seconds`; then give up loudly. Any other error passes through.
 */
export async function untilReachable<T>(
  fn: () => Promise<T>,
  seconds: number,
  onWait?: (err: Error) => void,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let delay = 100;
  for (;;) {
    try {
      return await fn();
    } catch (thrown) {
      if (!isUnreachable(thrown)) throw thrown;
      if (Date.now() > deadline) {
        throw new FathomError(
          'failed',
          `the metadata database stayed unreachable for ${seconds} s: ${toError(thrown).message}`,
          {
            cause: thrown,
            hint: 'check that the database server is up and reachable from this machine',
          },
        );
      }
      onWait?.(toError(thrown));
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 1000);
    }
  }
}
