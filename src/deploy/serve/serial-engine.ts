import type { Engine } from '../../engine/engine.js';
import type { ScoringEngine } from '../scoring-engine.js';
import { FathomError } from '../../util/fathom-error.js';

/**
 * One engine kept open for a served model's scoring plan, its queries run one at a time in
 * arrival order: an engine is one connection (DuckDB's, a Postgres client), and interleaved
 * queries on one connection are not safe. It opens on first use (or `warm()`); a failed open
 * is forgotten, so the next request retries a source that came back.
 */
export interface SerialEngine {
  run<T>(work: (engine: Engine) => Promise<T>): Promise<T>;
  /** Open now; resolves to the error instead of throwing, for a startup warning. */
  warm(): Promise<Error | null>;
  /** Wait for queued work, then close. Later `run` calls fail. */
  close(): Promise<void>;
}

export function serialEngine(open: () => Promise<ScoringEngine>): SerialEngine {
  let engine: Promise<ScoringEngine> | null = null;
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  const get = (): Promise<ScoringEngine> => {
    if (closed) return Promise.reject(new FathomError('failed', 'The server is shutting down'));
    engine ??= open().catch((err: unknown) => {
      engine = null;
      throw err;
    });
    return engine;
  };
  return {
    run(work) {
      const result = tail.then(async () => {
        const e = await get();
        await e.refresh();
        return work(e.engine);
      });
      tail = result.catch(() => undefined);
      return result;
    },
    async warm() {
      try {
        await get();
        return null;
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    },
    async close() {
      await tail;
      closed = true;
      const e = engine;
      engine = null;
      if (e) await (await e.catch(() => null))?.engine.close();
    },
  };
}
