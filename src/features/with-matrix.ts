import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../ledger/object-store.js';
import type { Engine } from '../engine/engine.js';
import { openEngine } from '../engine/open-engine.js';

/**
 * Open a feature matrix from the object store in a local DuckDB: `sql` is a relation over it.
 * A file-backed store's object is read in place; any other store's is copied to `tempDir`.
 */
export async function withMatrix<T>(
  objects: ObjectStore,
  hash: string,
  tempDir: string,
  fn: (engine: Engine, sql: string) => Promise<T>,
): Promise<T> {
  let file: string;
  if ('path' in objects && typeof objects.path === 'function') {
    file = (objects.path as (h: string) => string)(hash);
  } else {
    await mkdir(tempDir, { recursive: true });
    file = join(tempDir, `${hash}.parquet`);
    await writeFile(file, await objects.get(hash));
  }
  const engine = await openEngine({ kind: 'duckdb' });
  try {
    return await fn(engine, `read_parquet(${engine.dialect.quoteString(file)})`);
  } finally {
    await engine.close();
  }
}
