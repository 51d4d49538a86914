/**
 * The Engine interface: where SQL runs. The core never imports a driver; it is handed an
 * Engine (or a lazy factory for one). Dialect differences live in `Dialect` only.
 */

/** The short fixed list of logical types every physical SQL type maps to. */
export type LogicalType =
  | 'integer'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'string'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'interval'
  | 'binary'
  | 'json'
  | 'other';

export type EngineName = 'duckdb' | 'postgres' | 'sqlite';

/** A table reference; `schema` is optional (the engine's default schema otherwise). */
export interface TableRef {
  readonly schema?: string;
  readonly name: string;
}

export interface ColumnInfo {
  readonly name: string;
  /** The engine's own type name, e.g. `VARCHAR`, `BIGINT`, `timestamp with time zone`. */
  readonly physicalType: string;
  readonly logicalType: LogicalType;
  readonly nullable: boolean;
}

/**
 * A value as returned by every engine, normalised so that results compare across engines:
 * integers that fit in a double are numbers, larger ones strings; decimals are numbers;
 * dates are `YYYY-MM-DD`, timestamps ISO-8601 strings; binary is a Uint8Array.
 */
export type SqlValue = null | boolean | number | string | Uint8Array;
export type Row = Record<string, SqlValue>;

export interface QueryResult {
  readonly columns: ReadonlyArray<{ readonly name: string; readonly physicalType: string }>;
  readonly rows: Row[];
}

/** Bind parameters are positional; write `$1, $2, …` in SQL for every engine. */
export type Params = ReadonlyArray<SqlValue | bigint | Date>;

/** SQL fragments that differ between dialects. Everything else is shared SQL. */
export interface Dialect {
  readonly name: EngineName;
  /** Quote one identifier, doubling embedded quotes. Never fails: any string is a valid name. */
  quoteIdent(name: string): string;
  /** Quote a possibly schema-qualified table reference. */
  quoteTable(ref: TableRef): string;
  /** Map an engine physical type name to a logical type (one switch per dialect). */
  logicalType(physicalType: string): LogicalType;
  /** A string literal, for the rare place a bind parameter cannot go (DDL, table functions). */
  quoteString(value: string): string;
  /** Cast an expression to text. */
  castText(expr: string): string;
  /** An approximate (or exact, where the engine lacks one) distinct count aggregate. */
  approxDistinct(expr: string): string;
  /** A continuous quantile aggregate, q in [0, 1]. */
  quantile(expr: string, q: number): string;
  /** A regular-expression full-match predicate. */
  regexMatch(expr: string, pattern: string): string;
  /** A random sample of at most n rows of a table expression. */
  sample(tableSql: string, n: number, seed: number): string;
}

export interface EngineCapabilities {
  /** Can read CSV/Parquet/JSON files directly. */
  readonly readsFiles: boolean;
  readonly approxDistinct: boolean;
  readonly quantiles: boolean;
  readonly regex: boolean;
  readonly transactionalDdl: boolean;
}

export interface Engine {
  readonly dialect: Dialect;
  readonly capabilities: EngineCapabilities;
  /** Run a statement and return all rows. Errors carry the SQL text as `cause`. */
  query(sql: string, params?: Params): Promise<QueryResult>;
  /** Run statements that return nothing (DDL, multi-statement scripts without params). */
  exec(sql: string): Promise<void>;
  /** Stream a result in batches of about `batchSize` rows, in bounded memory. */
  stream(sql: string, params?: Params, batchSize?: number): AsyncIterable<Row[]>;
  /** The columns of a table or view. Fails with a clear error if it does not exist. */
  describe(table: TableRef): Promise<ColumnInfo[]>;
  /** User tables and views (system schemas excluded). */
  listTables(): Promise<TableRef[]>;
  close(): Promise<void>;
}

/** A lazy factory, so callers that never run SQL never load a driver. */
export type EngineFactory = () => Promise<Engine>;
