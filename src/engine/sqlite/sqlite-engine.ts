/**
 * The SQLite engine on better-sqlite3. The driver is synchronous; methods return promises
 * only to honour the Engine interface. A stream reads from the same connection, so reads may
 * interleave with it but writes wait until it ends (SQLite: "connection is busy").
 */
import Database from 'better-sqlite3';
import { FathomError } from '../../util/fathom-error.js';
import type { ColumnInfo, Engine, EngineCapabilities, Params, QueryResult, Row, TableRef } from '../engine.js';
import { batchSizeOf } from '../batch-rows.js';
import { engineClosed, queryFailed, tableNotFound } from '../engine-errors.js';
import { makeRow } from '../engine-values.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { registerSqliteFunctions, type SeededRandom } from './sqlite-functions.js';
import { describeSqliteTable, listSqliteTables } from './sqlite-introspect.js';
import { columnReader, toSqliteParams, type ColumnReader } from './sqlite-values.js';

export interface SqliteOptions {
  /** Database file; in-memory when absent. */
  readonly path?: string;
  readonly readOnly?: boolean;
}

const CAPABILITIES: EngineCapabilities = {
  readsFiles: false,
  // approxDistinct is an exact COUNT(DISTINCT); quantiles and regex are registered JS functions.
  approxDistinct: false,
  quantiles: true,
  regex: true,
  transactionalDdl: true,
};

export async function openSqliteEngine(options: SqliteOptions = {}): Promise<SqliteEngine> {
  const where = options.path ?? ':memory:';
  let db: Database.Database;
  try {
    db = new Database(where, { readonly: options.readOnly === true, fileMustExist: options.readOnly === true });
  } catch (thrown) {
    throw new FathomError('failed', `Could not open the SQLite database at ${where}`, {
      cause: thrown,
      hint: 'Check that the file exists (read-only opens never create it) and that its folder is writable.',
      context: { engine: 'sqlite', path: where },
    });
  }
  db.defaultSafeIntegers(true);
  return construct(db, registerSqliteFunctions(db));
}

let construct: (db: Database.Database, random: SeededRandom) => SqliteEngine;

export class SqliteEngine implements Engine {
  readonly dialect = sqliteDialect;
  readonly capabilities = CAPABILITIES;
  readonly #db: Database.Database;
  readonly #random: SeededRandom;
  readonly #open = new Set<IterableIterator<unknown[]>>();
  #closed = false;

  // Private so that no driver type appears in the public API; the open function builds it.
  static {
    construct = (db, random) => new SqliteEngine(db, random);
  }

  private constructor(db: Database.Database, random: SeededRandom) {
    this.#db = db;
    this.#random = random;
  }

  async query(sql: string, params?: Params): Promise<QueryResult> {
    if (this.#closed) throw engineClosed('sqlite');
    try {
      const stmt = this.#db.prepare(sql);
      const bound = toSqliteParams(params);
      this.#random.reset();
      if (!stmt.reader) {
        if (bound === undefined) stmt.run();
        else stmt.run(bound);
        return { columns: [], rows: [] };
      }
      const columns = stmt.columns();
      const names = columns.map((c) => c.name);
      const readers = columns.map((c) => columnReader(c.type));
      const raw = stmt.raw(true);
      const rows = (bound === undefined ? raw.all() : raw.all(bound)) as unknown[][];
      return {
        columns: columns.map((c) => ({ name: c.name, physicalType: c.type ?? '' })),
        rows: rows.map((values) => toRow(names, readers, values)),
      };
    } catch (thrown) {
      throw queryFailed('sqlite', sql, thrown, { params });
    }
  }

  async exec(sql: string): Promise<void> {
    if (this.#closed) throw engineClosed('sqlite');
    try {
      this.#db.exec(sql);
    } catch (thrown) {
      throw queryFailed('sqlite', sql, thrown);
    }
  }

  stream(sql: string, params?: Params, batchSize?: number): AsyncIterable<Row[]> {
    return this.#stream(sql, params, batchSizeOf(batchSize));
  }

  async *#stream(sql: string, params: Params | undefined, batchSize: number): AsyncGenerator<Row[]> {
    if (this.#closed) throw engineClosed('sqlite');
    let iterator: IterableIterator<unknown[]>;
    let names: string[];
    let readers: ColumnReader[];
    try {
      const stmt = this.#db.prepare(sql).raw(true);
      const columns = stmt.columns();
      names = columns.map((c) => c.name);
      readers = columns.map((c) => columnReader(c.type));
      const bound = toSqliteParams(params);
      this.#random.reset();
      iterator = (bound === undefined ? stmt.iterate() : stmt.iterate(bound)) as IterableIterator<unknown[]>;
    } catch (thrown) {
      throw queryFailed('sqlite', sql, thrown, { params });
    }
    this.#open.add(iterator);
    try {
      for (;;) {
        const batch: Row[] = [];
        try {
          for (let next = iterator.next(); !next.done; next = iterator.next()) {
            batch.push(toRow(names, readers, next.value));
            if (batch.length === batchSize) break;
          }
        } catch (thrown) {
          throw queryFailed('sqlite', sql, thrown, { params });
        }
        if (batch.length > 0) yield batch;
        if (batch.length < batchSize) return;
      }
    } finally {
      this.#open.delete(iterator);
      iterator.return?.();
    }
  }

  async describe(table: TableRef): Promise<ColumnInfo[]> {
    const columns = await describeSqliteTable((sql, params) => this.query(sql, params), table);
    if (columns.length === 0) throw tableNotFound('sqlite', table);
    return columns;
  }

  listTables(): Promise<TableRef[]> {
    return listSqliteTables((sql, params) => this.query(sql, params));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // An open iterator keeps the connection busy and close() would throw.
    for (const iterator of this.#open) iterator.return?.();
    this.#open.clear();
    this.#db.close();
  }
}

function toRow(names: readonly string[], readers: readonly ColumnReader[], values: readonly unknown[]): Row {
  return makeRow(
    names,
    values.map((v, i) => (readers[i] as ColumnReader)(v)),
  );
}
