import { existsSync } from 'node:fs';
import type { SourceConfig, SourceTable } from '../source.js';
import type { Engine } from '../../engine/engine.js';
import { openDuckDbEngine } from '../../engine/duckdb/duckdb-engine.js';
import { badInput } from '../../util/fathom-error.js';
import { hashJson } from '../../util/hash.js';
import type { DataFile } from '../files/data-file.js';
import { listDataFiles } from '../files/list-data-files.js';
import { fingerprintFile } from '../files/file-fingerprint.js';
import { fileReadError } from '../files/file-read-error.js';
import { inspectCsv, type InspectedFile } from '../files/inspect-csv.js';
import { inspectJson, inspectParquet } from '../files/inspect-columnar.js';
import { registerFileViews } from '../files/file-views.js';
import type { ConnectDeps } from './connect-deps.js';
import { parseFilesOptions, type FilesOptions } from './files-options.js';

/** Bump when the way files are read changes, so fingerprints (and what depends on them) do. */
const READER_VERSION = 2; // 2: decimal commas detected

/**
 * Every data file of a files source as a table: one per file, named by its base name. Files
 * are read by a private in-memory DuckDB engine; `details.reader` keeps the exact reader so
 * `registerFileViews` can recreate the views in any DuckDB engine.
 */
export async function discoverFileTables(config: SourceConfig, deps: ConnectDeps): Promise<SourceTable[]> {
  const options = parseFilesOptions(config.name, config.options);
  const files = await listDataFiles(config.location, deps.cwd);
  rejectDuplicateNames(config, files);
  const fingerprints = await Promise.all(files.map((f) => fileTableFingerprint(f, options)));
  const reusable = files.map((f, i) => reusableTable(deps.known?.get(fingerprints[i]!.fingerprint), f));
  if (reusable.every((t) => t !== null)) return reusable as SourceTable[];
  const engine = await openDuckDbEngine();
  try {
    const tables: SourceTable[] = [];
    const fresh: SourceTable[] = [];
    for (const [i, file] of files.entries()) {
      const known = reusable[i];
      if (known) tables.push(known);
      else {
        const table = await discoverFile(engine, config, file, fingerprints[i]!, options, deps);
        tables.push(table);
        fresh.push(table);
      }
    }
    await registerFileViews(engine, fresh);
    const described = new Map(
      await Promise.all(fresh.map(async (t) => [t.name, await engine.describe(t.ref)] as const)),
    );
    return tables.map((t) => (described.has(t.name) ? { ...t, columns: described.get(t.name)! } : t));
  } finally {
    await engine.close();
  }
}

async function fileTableFingerprint(
  file: DataFile,
  options: FilesOptions,
): Promise<{ fingerprint: string; size: number; method: string }> {
  const content = await fingerprintFile(file.path).catch((err: unknown) => {
    throw fileReadError(file.path, err);
  });
  const fingerprint = hashJson({
    reader: READER_VERSION,
    format: file.format,
    gzip: file.gzip,
    content: content.fingerprint,
    options,
  });
  return { fingerprint, size: content.size, method: content.method };
}

/** A table known by fingerprint, still at the same path, whose transcoded copy (if any) exists. */
function reusableTable(known: SourceTable | undefined, file: DataFile): SourceTable | null {
  if (!known || known.location !== file.path || known.name !== file.tableName || known.columns.length === 0)
    return null;
  const copy = known.details?.transcodedTo;
  return typeof copy === 'string' && !existsSync(copy) ? null : known;
}

async function discoverFile(
  engine: Engine,
  config: SourceConfig,
  file: DataFile,
  content: { fingerprint: string; size: number; method: string },
  options: FilesOptions,
  deps: ConnectDeps,
): Promise<SourceTable> {
  const fingerprint = content.fingerprint;
  let inspected: InspectedFile;
  if (file.format === 'csv') {
    const { quarantine, ...user } = options;
    inspected = await inspectCsv(engine, file, {
      cacheDir: deps.cacheDir,
      fingerprint,
      user,
      quarantine: quarantine === true,
    });
  } else if (file.format === 'parquet') inspected = await inspectParquet(engine, file);
  else inspected = await inspectJson(engine, file);
  return {
    name: file.tableName,
    source: config.name,
    location: file.path,
    ref: { name: file.tableName },
    fingerprint,
    rows: inspected.rows,
    columns: [],
    details: { ...inspected.details, bytes: content.size, fingerprintMethod: content.method, reader: inspected.reader },
  };
}

function rejectDuplicateNames(config: SourceConfig, files: readonly DataFile[]): void {
  // DuckDB folds identifier case, so `Orders` and `orders` would be the same view.
  const seen = new Map<string, string>();
  for (const file of files) {
    const other = seen.get(file.tableName.toLowerCase());
    if (other !== undefined) {
      throw badInput(
        `Source ${config.name}: ${other} and ${file.path} would both be table "${file.tableName}"`,
        'Rename one of the files, or split them into two sources.',
      );
    }
    seen.set(file.tableName.toLowerCase(), file.path);
  }
}
