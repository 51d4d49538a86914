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
 * integers that fit in a double are numbers, larger ones strings; decimals are numbers
 * (except integral ones, which follow the integer rule); dates are `YYYY-MM-DD`; timestamps,
 * with or without time zone, are the UTC instant as `Date.prototype.toISOString()` writes it
 * (`2024-01-02T03:04:05.123Z`, sub-millisecond digits truncated, a zone-less timestamp read
 * as UTC, infinite ones `infinity`/`-infinity`); binary is a plain Uint8Array; lists,
 * structs, maps, arrays and JSON are JSON text; times and intervals are the engine's own
 * text. SQLite has no boolean or timestamp storage: columns declared BOOLEAN or TIMESTAMP
 * are converted by their declared type. Details: engine-values.ts.
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
  /**
   * Quote one identifier, doubling embedded quotes. Any name is valid except an empty one or
   * one containing a NUL byte (no engine can store those): both throw a `bad_input` FathomError.
   */
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
  /**
   * A predicate: does `expr` match the regular expression `pattern` in full? `pattern` is the
   * regex itself, not SQL; the dialect quotes it. Keep to the syntax RE2, Postgres and JS share.
   */
  regexMatch(expr: string, pattern: string): string;
  /**
   * A complete SELECT returning a random sample of at most n rows of `tableSql` (a quoted
   * table or a parenthesised subquery), the same rows every time for the same seed and data.
   */
  sample(tableSql: string, n: number, seed: number, rows?: number): string;
  /**
   * Seconds since 1970-01-01T00:00:00Z of a date or timestamp expression, as a double; a
   * zone-less timestamp reads as UTC, null and infinite ones give null. Feature SQL compares
   * and subtracts times through this, so every engine agrees on cutoffs.
   */
  epochSeconds(expr: string): string;
  /**
   * A calendar part of a date or timestamp (UTC for zoned ones) as an integer; `dow` is
   * 0 = Sunday … 6. Null and infinite ones give null.
   */
  datePart(part: DatePart, expr: string): string;
  /**
   * Words (runs of non-whitespace, whitespace being JavaScript's `\s`) in a text: 0 for empty
   * or blank text, null for null.
   */
  wordCount(expr: string): string;
  /**
   * The sample standard deviation aggregate: null below two non-null values, exactly 0 when
   * they are all equal. Feature SQL writes this, not STDDEV_SAMP, so every engine agrees.
   */
  stddevSamp(expr: string): string;
  /**
   * The least-squares slope aggregate of y on x over rows where both are non-null: null when
   * fewer than two such rows or x is constant there. Feature SQL writes this, not REGR_SLOPE.
   */
  regrSlope(y: string, x: string): string;
}

export type DatePart = 'year' | 'month' | 'day' | 'hour' | 'dow';

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
