import { existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Engine, LogicalType } from '../../engine/engine.js';
import { openEngine as openLocalEngine } from '../../engine/open-engine.js';
import { openEngine, sourceTable } from '../../explore/explore-context.js';
import { classifyDataFile, DATA_EXTENSIONS } from '../../sources/files/data-file.js';
import { inspectCsv, type InspectedFile } from '../../sources/files/inspect-csv.js';
import { inspectJson, inspectParquet } from '../../sources/files/inspect-columnar.js';
import type { Workspace } from '../../workspace/open-workspace.js';
import { badInput, FathomError } from '../../util/fathom-error.js';

/** The rows to score: a query on an open engine, its columns, and how many rows it has. */
export interface BatchInput {
  /** What the user named: a file path or SOURCE.TABLE, for messages. */
  readonly label: string;
  readonly engine: Engine;
  /** A SELECT of every row, in the input's order. */
  readonly sql: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: LogicalType }>;
  readonly rows: number;
  close(): Promise<void>;
}

/**
 * Open what `--input` names: a CSV, Parquet or JSON file (read by an embedded DuckDB, typed
 * from every row as `fathom explore` types files), or SOURCE.TABLE of a connected source, read
 * where it lives. A path that exists is a file; otherwise a dotted name is a table.
 */
export async function openBatchInput(ws: Workspace, input: string, cwd: string): Promise<BatchInput> {
  const path = resolve(cwd, input);
  if (existsSync(path)) return openFile(ws, input, path);
  const file = classifyDataFile(path);
  const dot = input.indexOf('.');
  if (file !== null || dot <= 0 || dot === input.length - 1 || /[\\/]/.test(input)) {
    throw badInput(
      `Input file ${path} does not exist`,
      `Give a CSV, Parquet or NDJSON file (${DATA_EXTENSIONS.join(', ')}), or a table of a connected source as SOURCE.TABLE.`,
    );
  }
  return openTable(ws, input.slice(0, dot), input.slice(dot + 1));
}

async function openFile(ws: Workspace, label: string, path: string): Promise<BatchInput> {
  if (statSync(path).isDirectory())
    throw badInput(`Input ${path} is a folder`, 'Give one CSV, Parquet or NDJSON file.');
  const file = classifyDataFile(path);
  if (file === null)
    throw badInput(
      `Input ${path} is not a file Fathom reads`,
      `Name it with one of these extensions: ${DATA_EXTENSIONS.join(', ')}.`,
    );
  const engine = await openLocalEngine({ kind: 'duckdb', tempDirectory: join(ws.paths.cache, 'duckdb-tmp') });
  try {
    let inspected: InspectedFile;
    if (file.format === 'parquet') inspected = await inspectParquet(engine, file);
    else if (file.format === 'json') inspected = await inspectJson(engine, file);
    else {
      // The fingerprint only names a transcoded copy (non-UTF-8 files): path and mtime suffice.
      const fingerprint = createHash('sha256')
        .update(`${path}\0${statSync(path).mtimeMs}`)
        .digest('hex');
      inspected = await inspectCsv(engine, file, {
        cacheDir: ws.paths.cache,
        fingerprint,
        user: {},
        quarantine: false,
      });
    }
    const sql = `SELECT * FROM ${inspected.reader}`;
    const described = await engine.query(`DESCRIBE ${sql}`);
    const columns = described.rows.map((r) => ({
      name: String(r.column_name),
      type: engine.dialect.logicalType(String(r.column_type)),
    }));
    return { label, engine, sql, columns, rows: inspected.rows, close: () => engine.close() };
  } catch (err) {
    await engine.close();
    throw err;
  }
}

async function openTable(ws: Workspace, source: string, table: string): Promise<BatchInput> {
  let found;
  try {
    found = await sourceTable(ws, source, table);
  } catch (err) {
    if (err instanceof FathomError && err.kind === 'not_found') {
      throw new FathomError(
        'not_found',
        `Input ${source}.${table} is neither a file nor a table of a connected source`,
        {
          hint: 'Give an existing CSV, Parquet or NDJSON file, or SOURCE.TABLE as fathom catalog lists it.',
        },
      );
    }
    throw err;
  }
  const engine = await openEngine(ws, found.record, [found.table]);
  try {
    const described = await engine.describe(found.table.ref);
    const sql = `SELECT * FROM ${engine.dialect.quoteTable(found.table.ref)}`;
    const count = await engine.query(`SELECT count(*) AS n FROM ${engine.dialect.quoteTable(found.table.ref)}`);
    return {
      label: `${source}.${table}`,
      engine,
      sql,
      columns: described.map((c) => ({ name: c.name, type: c.logicalType })),
      rows: Number(count.rows[0]?.n ?? 0),
      close: () => engine.close(),
    };
  } catch (err) {
    await engine.close();
    throw err;
  }
}
