import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Engine, TableRef } from '../../engine/engine.js';
import type { SourceConfig, SourceTable } from '../source.js';
import { badInput } from '../../util/fathom-error.js';
import { hashJson } from '../../util/hash.js';

/** Size and mtime of a database file and of its write-ahead log, if any. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly wal: { readonly size: number; readonly mtimeMs: number } | null;
}

/** The absolute path of an embedded database source, which must exist. */
export async function databasePath(config: SourceConfig, cwd?: string): Promise<string> {
  const path = isAbsolute(config.location) ? config.location : resolve(cwd ?? process.cwd(), config.location);
  if ((await stat(path).catch(() => null)) === null) {
    throw badInput(
      `Source ${config.name}: ${config.location} does not exist`,
      'Check the path, or connect the source again.',
    );
  }
  return path;
}

/**
 * Committed data that is still only in the WAL (SQLite `-wal`, DuckDB `.wal`) leaves the main
 * file untouched, so the log's size and mtime are part of the stamp.
 */
export async function stampFile(path: string, walPath: string): Promise<FileStamp> {
  const main = await stat(path);
  const wal = await stat(walPath).catch(() => null);
  return {
    size: main.size,
    mtimeMs: main.mtimeMs,
    wal: wal === null ? null : { size: wal.size, mtimeMs: wal.mtimeMs },
  };
}

/**
 * A table of an embedded database file. Its fingerprint hashes the table's exact row count,
 * its schema SQL and the file stamp. Without reading every page there is no cheaper sign of
 * a change than the file's mtime, so any write to the file (even to another table, or a
 * touch) marks all its tables changed: a spurious re-run rather than a missed change.
 */
export async function embeddedTable(
  engine: Engine,
  config: SourceConfig,
  ref: TableRef,
  schemaSql: string,
  stamp: FileStamp,
  defaultSchema: string,
): Promise<SourceTable> {
  const columns = await engine.describe(ref);
  const counted = await engine.query(`SELECT count(*) AS n FROM ${engine.dialect.quoteTable(ref)}`);
  const rows = Number(counted.rows[0]?.n ?? 0);
  const qualified = `${ref.schema ?? defaultSchema}.${ref.name}`;
  return {
    name: (ref.schema ?? defaultSchema) === defaultSchema ? ref.name : qualified,
    source: config.name,
    location: qualified,
    ref,
    fingerprint: hashJson({ kind: config.kind, table: qualified, schemaSql, rows, stamp }),
    rows,
    columns,
    details: { schemaSql },
  };
}
