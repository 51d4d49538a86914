import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Engine, SqlValue } from '../engine/engine.js';
import { openEngine } from '../engine/open-engine.js';
import { matrixColumnAlias } from './compile-matrix.js';
import type { MatrixColumn } from './matrix-column.js';

const INSERT_ROWS = 500;

/**
 * Run a query and return its result as Parquet bytes, the same bytes every time for the same
 * data. On DuckDB the engine writes the file itself (COPY streams, so the result is never held
 * in memory); any other engine's rows are streamed into a local DuckDB table first.
 *
 * The engine runs the query on one thread: a parallel SUM or AVG of doubles adds partial sums
 * in whatever order threads finish, so its last bits change from run to run (measured: two
 * runs of the demo matrix on 2 threads differed), and a matrix rebuilt from the ledger would
 * not be byte-identical. Features are a one-off cost per data version; determinism wins.
 */
export async function queryToParquet(
  engine: Engine,
  sql: string,
  columns: readonly MatrixColumn[],
  tempDir: string,
): Promise<Uint8Array> {
  await mkdir(tempDir, { recursive: true });
  const file = join(tempDir, `matrix-${randomUUID()}.parquet`);
  try {
    if (engine.dialect.name === 'postgres') await engine.exec('SET max_parallel_workers_per_gather = 0');
    if (engine.dialect.name === 'duckdb') {
      // Each column as its declared type, as the other engines' rows are stored below: a date
      // feature would otherwise be a Parquet DATE from DuckDB but a TIMESTAMP from SQLite or Postgres.
      const q = engine.dialect.quoteIdent;
      const typed = columns.map((c) => `CAST(fathom_q.${q(c.name)} AS ${c.type}) AS ${q(c.name)}`).join(', ');
      await copyToParquet(engine, `(SELECT ${typed} FROM (${sql}) AS fathom_q)`, file);
    } else {
      const local = await openEngine({ kind: 'duckdb' });
      try {
        await local.exec(
          `CREATE TABLE fathom_matrix (${columns.map((c) => `${local.dialect.quoteIdent(c.name)} ${c.type}`).join(', ')})`,
        );
        let batch: SqlValue[][] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const width = columns.length;
          const rows = batch.map((_, r) => `(${columns.map((__, c) => `$${r * width + c + 1}`).join(', ')})`);
          await local.query(`INSERT INTO fathom_matrix VALUES ${rows.join(', ')}`, batch.flat());
          batch = [];
        };
        // The query names a long feature's column by its alias (Postgres' identifier limit).
        const aliases = columns.map((c) => matrixColumnAlias(engine.dialect, c.name));
        for await (const rows of engine.stream(sql)) {
          for (const row of rows) {
            batch.push(aliases.map((a) => row[a] ?? null));
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

/** COPY runs the query too: on one thread (see queryToParquet). */
async function copyToParquet(engine: Engine, from: string, file: string): Promise<void> {
  await engine.exec('SET threads = 1');
  await engine.exec(
    `COPY ${from} TO ${engine.dialect.quoteString(file)} (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 122880, PER_THREAD_OUTPUT false)`,
  );
}
