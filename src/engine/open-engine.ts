/**
 * Open an engine from a plain spec. Drivers load on first use through dynamic import, so the
 * core (and a CLI command that never runs SQL) never pays for, or depends on, a driver.
 */
import { FathomError } from '../util/fathom-error.js';
import type { Engine, EngineFactory } from './engine.js';
import type { DuckDbOptions } from './duckdb/duckdb-engine.js';
import type { PostgresOptions } from './postgres/postgres-connect.js';
import type { SqliteOptions } from './sqlite/sqlite-engine.js';

export type EngineSpec =
  | ({ readonly kind: 'duckdb' } & DuckDbOptions)
  | ({ readonly kind: 'postgres' } & PostgresOptions)
  | ({ readonly kind: 'sqlite' } & SqliteOptions);

export async function openEngine(spec: EngineSpec): Promise<Engine> {
  switch (spec.kind) {
    case 'duckdb': {
      const { openDuckDbEngine } = await import('./duckdb/duckdb-engine.js');
      return openDuckDbEngine(spec);
    }
    case 'postgres': {
      const { openPostgresEngine } = await import('./postgres/postgres-engine.js');
      return openPostgresEngine(spec);
    }
    case 'sqlite': {
      const { openSqliteEngine } = await import('./sqlite/sqlite-engine.js');
      return openSqliteEngine(spec);
    }
    default: {
      const kind = (spec as { kind?: unknown }).kind;
      throw new FathomError('usage', `Unknown engine kind ${JSON.stringify(kind)}`, {
        hint: 'Use one of: duckdb, postgres, sqlite.',
      });
    }
  }
}

/** A factory that opens a new engine each time it is called, loading nothing until then. */
export function engineFactory(spec: EngineSpec): EngineFactory {
  return () => openEngine(spec);
}
