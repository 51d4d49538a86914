/**
 * The Postgres engine: SQL pushed down to where the data lives. One pg Pool per engine;
 * queries take any pooled connection, streams hold one for their cursor's transaction.
 */
import pg from 'pg';
import { FathomError, toError } from '../../util/fathom-error.js';
import type { ColumnInfo, Engine, EngineCapabilities, Params, QueryResult, Row, TableRef } from '../engine.js';
import { batchSizeOf } from '../batch-rows.js';
import { engineClosed, queryFailed, tableNotFound } from '../engine-errors.js';
import { makeRow } from '../engine-values.js';
import {
  connectionFailed,
  isConnectionError,
  parsePostgresUrl,
  sessionSql,
  type PostgresOptions,
  type PostgresTarget,
} from './postgres-connect.js';
import { streamWithCursor } from './postgres-cursor.js';
import { postgresDialect } from './postgres-dialect.js';
import { describePostgresTable, listPostgresTables } from './postgres-introspect.js';
import { BUILTIN_TYPE_NAMES, fromPostgres, toPostgresParams } from './postgres-values.js';

export type { PostgresOptions, PostgresTarget } from './postgres-connect.js';

const CAPABILITIES: EngineCapabilities = {
  readsFiles: false,
  approxDistinct: false,
  quantiles: true,
  regex: true,
  transactionalDdl: true,
};

/** Open a pool and check that it connects (and that `schema`, if given, exists). */
export async function openPostgresEngine(options: PostgresOptions): Promise<PostgresEngine> {
  const { target, config, password } = parsePostgresUrl(options);
  const session = sessionSql(options.schema);
  // pg-pool awaits onConnect before handing the client out. The 'connect' event does not:
  // a query sent from it overlapped the caller's first query, which pg deprecates (gone in
  // pg 9), and its failure was swallowed, leaving a connection without UTC or search_path.
  const onConnect = async (client: pg.ClientBase): Promise<void> => void (await client.query(session));
  const pool = new pg.Pool({ ...config, onConnect });
  // An idle client losing its server emits here; unhandled, it would crash the process.
  pool.on('error', () => undefined);
  const engine = construct(pool, target, options.schema, password);
  try {
    await pool.query('SELECT 1');
  } catch (thrown) {
    await pool.end().catch(() => undefined);
    throw connectionFailed(target, thrown, password);
  }
  if (options.schema !== undefined) {
    const { rows } = await engine.query('SELECT 1 AS found FROM pg_namespace WHERE nspname = $1', [options.schema]);
    if (rows.length === 0) {
      await engine.close();
      throw new FathomError('not_found', `Postgres schema "${options.schema}" does not exist in ${target.database}`, {
        hint: `Create it (CREATE SCHEMA ${postgresDialect.quoteIdent(options.schema)}) or pick an existing schema.`,
        context: { engine: 'postgres', ...target, schema: options.schema },
      });
    }
  }
  return engine;
}

let construct: (
  pool: pg.Pool,
  target: PostgresTarget,
  schema: string | undefined,
  password: string | undefined,
) => PostgresEngine;

export class PostgresEngine implements Engine {
  readonly dialect = postgresDialect;
  readonly capabilities = CAPABILITIES;
  /** Where this engine connects, without the password. */
  readonly target: PostgresTarget;
  readonly #pool: pg.Pool;
  readonly #schema: string | undefined;
  readonly #password: string | undefined;
  readonly #typeNames = new Map(BUILTIN_TYPE_NAMES);
  #closed = false;

  // Private so that no driver type appears in the public API; the open function builds it.
  static {
    construct = (pool, target, schema, password) => new PostgresEngine(pool, target, schema, password);
  }

  private constructor(pool: pg.Pool, target: PostgresTarget, schema: string | undefined, password: string | undefined) {
    this.#pool = pool;
    this.target = target;
    this.#schema = schema;
    this.#password = password;
  }

  async query(sql: string, params?: Params): Promise<QueryResult> {
    if (this.#closed) throw engineClosed('postgres');
    let result: pg.QueryResult<unknown[]>;
    try {
      const raw = (await this.#pool.query({ text: sql, values: toPostgresParams(params), rowMode: 'array' })) as
        pg.QueryResult<unknown[]> | pg.QueryResult<unknown[]>[];
      // A script of several statements yields one result each; the last one is the answer.
      result = Array.isArray(raw) ? (raw[raw.length - 1] as pg.QueryResult<unknown[]>) : raw;
    } catch (thrown) {
      throw this.#fail(sql, thrown, params);
    }
    const fields = result.fields ?? [];
    const names = fields.map((f) => f.name);
    return {
      columns: await this.#columns(fields),
      rows: result.rows.map((values) => makeRow(names, values.map(fromPostgres))),
    };
  }

  async exec(sql: string): Promise<void> {
    if (this.#closed) throw engineClosed('postgres');
    try {
      await this.#pool.query(sql);
    } catch (thrown) {
      throw this.#fail(sql, thrown);
    }
  }

  stream(sql: string, params?: Params, batchSize?: number): AsyncIterable<Row[]> {
    return this.#stream(sql, params, batchSizeOf(batchSize));
  }

  async *#stream(sql: string, params: Params | undefined, batchSize: number): AsyncGenerator<Row[]> {
    if (this.#closed) throw engineClosed('postgres');
    const client = await this.#pool.connect().catch((thrown: unknown) => {
      throw this.#fail(sql, thrown, params);
    });
    let failure: Error | undefined;
    try {
      yield* streamWithCursor(client, sql, params, batchSize);
    } catch (thrown) {
      failure = toError(thrown);
      throw this.#fail(sql, thrown, params);
    } finally {
      // After a failure the connection's state is unknown: destroy it rather than reuse it.
      client.release(failure);
    }
  }

  async describe(table: TableRef): Promise<ColumnInfo[]> {
    const columns = await describePostgresTable((sql, params) => this.query(sql, params), table);
    if (columns.length === 0) throw tableNotFound('postgres', table);
    return columns;
  }

  listTables(): Promise<TableRef[]> {
    return listPostgresTables((sql, params) => this.query(sql, params), this.#schema);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  #fail(sql: string, thrown: unknown, params?: Params): FathomError {
    if (isConnectionError(thrown)) return connectionFailed(this.target, thrown, this.#password);
    const e = thrown as { code?: unknown; position?: unknown; detail?: unknown };
    return queryFailed('postgres', sql, thrown, { params, code: e.code, position: e.position, detail: e.detail });
  }

  /** Result column types by name; OIDs outside the built-in list are looked up once. */
  async #columns(fields: readonly pg.FieldDef[]): Promise<QueryResult['columns']> {
    const unknown = [...new Set(fields.map((f) => f.dataTypeID).filter((oid) => !this.#typeNames.has(oid)))];
    if (unknown.length > 0) {
      const { rows } = await this.query(
        'SELECT oid::int8 AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::int8[]::oid[])',
        [`{${unknown.join(',')}}`],
      );
      for (const r of rows) this.#typeNames.set(Number(r['oid']), String(r['name']));
    }
    return fields.map((f) => ({
      name: f.name,
      physicalType: this.#typeNames.get(f.dataTypeID) ?? `oid ${f.dataTypeID}`,
    }));
  }
}
