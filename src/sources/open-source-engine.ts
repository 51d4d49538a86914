import { isAbsolute, resolve } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { openEngine } from '../engine/open-engine.js';
import { registerFileViews } from './files/file-views.js';
import type { SourceRecord } from './source-actions.js';
import type { SourceTable } from './source.js';
import type { Vault } from '../workspace/vault/vault.js';

export interface SourceEngineDeps {
  readonly root: string;
  /** Opened only for sources with a credential. */
  readonly vault: () => Promise<Vault>;
  readonly duckdb?: { threads?: number; memoryLimit?: string };
  /** Spill folder for DuckDB, so big aggregations degrade to disk instead of failing. */
  readonly tempDirectory?: string;
}

/**
 * An engine where a source's tables can be queried by their `ref`: compute goes to the data.
 * Files get an in-memory DuckDB with one view per file; databases get their own engine.
 */
export async function openSourceEngine(
  source: SourceRecord,
  tables: readonly SourceTable[],
  deps: SourceEngineDeps,
): Promise<Engine> {
  const path = (p: string) => (isAbsolute(p) ? p : resolve(deps.root, p));
  switch (source.kind) {
    case 'files': {
      const engine = await openEngine({
        kind: 'duckdb',
        ...(deps.duckdb?.threads !== undefined ? { threads: deps.duckdb.threads } : {}),
        ...(deps.duckdb?.memoryLimit !== undefined ? { memoryLimit: deps.duckdb.memoryLimit } : {}),
        ...(deps.tempDirectory !== undefined ? { tempDirectory: deps.tempDirectory } : {}),
      });
      try {
        await registerFileViews(engine, tables);
      } catch (err) {
        await engine.close();
        throw err;
      }
      return engine;
    }
    case 'sqlite':
      return openEngine({ kind: 'sqlite', path: path(source.location), readOnly: true });
    case 'duckdb':
      return openEngine({ kind: 'duckdb', path: path(source.location), readOnly: true });
    case 'postgres': {
      const password = source.credential ? await (await deps.vault()).get(source.credential) : undefined;
      return openEngine({ kind: 'postgres', url: source.location, ...(password !== undefined ? { password } : {}) });
    }
  }
}
