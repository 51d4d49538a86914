import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Engine, SqlValue } from '../engine/engine.js';
import { openEngine } from '../engine/open-engine.js';

/** A matrix column and its Parquet (DuckDB) type. */
export interface MatrixColumn {
  readonly name: string;
  readonly type: 'DOUBLE' | 'BIGINT' | 'VARCHAR' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP';
}

const INSERT_ROWS = 500;

/**
 * Run a query and return its result as Parquet bytes. On DuckDB the engine writes the file
 * itself (COPY streams, so the result is never held in memory); any other engine's rows are
 * streamed into a local DuckDB table first. Row order is the query's, and one writer thread
 * keeps row groups the same on every run. The bytes are the same only when the values are:
 * floating-point SUM, AVG, STDDEV_SAMP and REGR_SLOPE computed on several threads combine
 * partial results in a different order each run and may differ in the last bit
 * (bench/features.mjs measures it); with one thread they are the same.
 */
export async function queryToParquet(engine: Engine, sql: string, columns: readonly MatrixColumn[], tempDir: string): Promise<Uint8Array> {
  await mkdir(tempDir, { recursive: true });
  const file = join(tempDir, `matrix-${randomUUID()}.parquet`);
  try {
    if (engine.dialect.name === 'duckdb') {
      await copyToParquet(engine, `(${sql})`, file);
    } else {
      const local = await openEngine({ kind: 'duckdb' });
      try {
        await local.exec(`CREATE TABLE fathom_matrix (${columns.map((c) => `${local.dialect.quoteIdent(c.name)} ${c.type}`).join(', ')})`);
        let batch: SqlValue[][] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const width = columns.length;
          const rows = batch.map((_, r) => `(${columns.map((__, c) => `$${r * width + c + 1}`).join(', ')})`);
          await local.query(`INSERT INTO fathom_matrix VALUES ${rows.join(', ')}`, batch.flat());
          batch = [];
        };
        for await (const rows of engine.stream(sql)) {
          for (const row of rows) {
            batch.push(columns.map((c) => row[c.name] ?? null));
            if (batch.length >= INSERT_ROWS) await flush();
          }
        }
        await flush();
        await copyToParquet(local, 'fathom_matrix', file);
      } finally {
        await local.close();
      }
    }
    return new Uint8Array(await readFile(file));
  } finally {
    await rm(file, { force: true });
  }
}

async function copyToParquet(engine: Engine, from: string, file: string): Promise<void> {
  // The query itself runs on every thread; only the writer is serial (see above).
  await engine.exec('SET preserve_insertion_order = true');
  await engine.exec(`COPY ${from} TO ${engine.dialect.quoteString(file)} (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 122880, PER_THREAD_OUTPUT false)`);
}
