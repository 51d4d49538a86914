import type { VaultRef } from '../workspace/vault/vault.js';
import type { ColumnInfo, TableRef } from '../engine/engine.js';

export type SourceKind = 'files' | 'sqlite' | 'duckdb' | 'postgres';

/** A source as written in fathom.yaml: never a secret, only a vault reference. */
export interface SourceConfig {
  readonly name: string;
  readonly kind: SourceKind;
  /** Path, glob or URL without credentials (a password in a URL is moved to the vault). */
  readonly location: string;
  readonly credential?: VaultRef;
  /** Connector options, e.g. CSV `delimiter`, `encoding`, `header`, `quarantine: true`. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** One table of a source, as discovered by its connector. */
export interface SourceTable {
  /** A file's table name is its base name without extension. */
  readonly name: string;
  readonly source: string;
  /** For files: the absolute path; for databases: `schema.table`. */
  readonly location: string;
  /**
   * How to query it: for a database, the table in its own engine; for a file, the view that
   * `registerFileViews` creates in a DuckDB engine.
   */
  readonly ref: TableRef;
  /**
   * Cheap data fingerprint (sha256 hex): changes whenever the data as read changes (content,
   * or the reading options). See each connector for what it hashes.
   */
  readonly fingerprint: string;
  /** Row count, when known cheaply (exact for files after a scan, catalog stats for DBs). */
  readonly rows: number | null;
  readonly columns: readonly ColumnInfo[];
  /** Format-specific facts: detected delimiter, encoding, header, quarantined rows… */
  readonly details?: Readonly<Record<string, unknown>>;
}
