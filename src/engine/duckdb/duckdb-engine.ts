/**
 * The embedded DuckDB engine (the default). Queries share one connection, run one at a time
 * so a script's statements never interleave with another caller's; each stream gets its own
 * connection, because a new query on a connection invalidates its pending streaming result.
 * A stream therefore sees committed data only: not TEMP tables, not an open transaction's.
 */
import {
  DuckDBConnection,
  DuckDBInstance,
  ResultReturnType,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { FathomError } from '../../util/fathom-error.js';
import type { ColumnInfo, Engine, EngineCapabilities, Params, QueryResult, Row, TableRef } from '../engine.js';
import { batchSizeOf, rebatch } from '../batch-rows.js';
import { engineClosed, queryFailed, tableNotFound } from '../engine-errors.js';
import { makeRow } from '../engine-values.js';
import { duckDbDialect } from './duckdb-dialect.js';
import { describeDuckDbTable, listDuckDbTables } from './duckdb-introspect.js';
import { fromDuckDb, toDuckDbParams } from './duckdb-values.js';

export interface DuckDbOptions {
  /** Database file; in-memory when absent. */
  readonly path?: string;
  readonly readOnly?: boolean;
  /** Worker threads; DuckDB's default is one per core. */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. `4GB`; DuckDB's default is 80% of RAM. */
  readonly memoryLimit?: string;
  /** Where DuckDB spills when a query outgrows memory; in-memory databases have none by default. */
  readonly tempDirectory?: string;
}

const CAPABILITIES: EngineCapabilities = {
  readsFiles: true,
  approxDistinct: true,
  quantiles: true,
  regex: true,
  transactionalDdl: true,
};

// Timestamps with time zone print and cast in the session zone; UTC makes results identical
// on every machine.
const SESSION_SQL = "SET TimeZone = 'UTC'";

export async function openDuckDbEngine(options: DuckDbOptions = {}): Promise<DuckDbEngine> {
  const settings: Record<string, string> = {};
  if (options.readOnly === true) settings['access_mode'] = 'READ_ONLY';
  if (options.threads !== undefined) settings['threads'] = String(options.threads);
  if (options.memoryLimit !== undefined) settings['memory_limit'] = options.memoryLimit;
  if (options.tempDirectory !== undefined) settings['temp_directory'] = options.tempDirectory;
  const where = options.path ?? ':memory:';
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(where, settings);
  } catch (thrown) {
    throw new FathomError('failed', `Could not open the DuckDB database at ${where}`, {
      cause: thrown,
      hint: 'Check that the path exists and is writable, and that no other process holds it open for writing.',
      context: { engine: 'duckdb', path: where, settings },
    });
  }
  return construct(instance, await connectSession(instance));
}

async function connectSession(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  await connection.run(SESSION_SQL);
  return connection;
}

let construct: (instance: DuckDBInstance, main: DuckDBConnection) => DuckDbEngine;

export class DuckDbEngine implements Engine {
  readonly dialect = duckDbDialect;
  readonly capabilities = CAPABILITIES;
  readonly #instance: DuckDBInstance;
  readonly #main: DuckDBConnection;
  readonly #streams = new Set<DuckDBConnection>();
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  // Private so that no driver type appears in the public API; the open function builds it.
  static {
    construct = (instance, main) => new DuckDbEngine(instance, main);
  }

  private constructor(instance: DuckDBInstance, main: DuckDBConnection) {
    this.#instance = instance;
    this.#main = main;
  }

  query(sql: string, params?: Params): Promise<QueryResult> {
    return this.#serial(async () => {
      try {
        const reader = await this.#main.runAndReadAll(sql, toDuckDbParams(params));
        // DuckDB answers DDL and plain INSERT/UPDATE with a Count or Success column; the
        // other engines return nothing, and callers should not see the difference.
        if (reader.returnType !== ResultReturnType.QUERY_RESULT) return { columns: [], rows: [] };
        const names = reader.columnNames();
        const types = reader.columnTypes();
        return {
          columns: names.map((name, i) => ({ name, physicalType: String(types[i]) })),
          rows: reader.getRows().map((values) => toRow(names, types, values)),
        };
      } catch (thrown) {
        throw queryFailed('duckdb', sql, thrown, { params });
      }
    });
  }

  exec(sql: string): Promise<void> {
    return this.#serial(async () => {
      try {
        await this.#main.run(sql);
      } catch (thrown) {
        throw queryFailed('duckdb', sql, thrown);
      }
    });
  }

  stream(sql: string, params?: Params, batchSize?: number): AsyncIterable<Row[]> {
    return rebatch(this.#chunks(sql, params), batchSizeOf(batchSize));
  }

  async *#chunks(sql: string, params: Params | undefined): AsyncGenerator<Row[]> {
    if (this.#closed) throw engineClosed('duckdb');
    const connection = await connectSession(this.#instance);
    this.#streams.add(connection);
    try {
      const result = await connection.stream(sql, toDuckDbParams(params)).catch((thrown: unknown) => {
        throw queryFailed('duckdb', sql, thrown, { params });
      });
      const names = result.columnNames();
      const types = result.columnTypes();
      for (;;) {
        const chunk = await result.fetchChunk().catch((thrown: unknown) => {
          throw queryFailed('duckdb', sql, thrown, { params });
        });
        if (chunk === null || chunk.rowCount === 0) return;
        yield chunk.getRows().map((values) => toRow(names, types, values));
      }
    } finally {
      this.#streams.delete(connection);
      connection.closeSync();
    }
  }

  async describe(table: TableRef): Promise<ColumnInfo[]> {
    const columns = await describeDuckDbTable((sql, params) => this.query(sql, params), table);
    if (columns.length === 0) throw tableNotFound('duckdb', table);
    return columns;
  }

  listTables(): Promise<TableRef[]> {
    return listDuckDbTables((sql, params) => this.query(sql, params));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    for (const connection of this.#streams) connection.closeSync();
    this.#streams.clear();
    this.#main.closeSync();
    this.#instance.closeSync();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(engineClosed('duckdb'));
    const run = this.#tail.then(work, work);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

function toRow(names: readonly string[], types: readonly DuckDBType[], values: readonly DuckDBValue[]): Row {
  return makeRow(
    names,
    values.map((value, i) => fromDuckDb(value, types[i] as DuckDBType)),
  );
}
