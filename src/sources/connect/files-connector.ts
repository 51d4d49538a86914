import type { SourceConfig, SourceTable } from '../source.js';
import type { Engine } from '../../engine/engine.js';
import { openDuckDbEngine } from '../../engine/duckdb/duckdb-engine.js';
import { badInput } from '../../util/fathom-error.js';
import { hashJson } from '../../util/hash.js';
import type { DataFile } from '../files/data-file.js';
import { listDataFiles } from '../files/list-data-files.js';
import { fingerprintFile } from '../files/file-fingerprint.js';
import { inspectCsv, type InspectedFile } from '../files/inspect-csv.js';
import { inspectJson, inspectParquet } from '../files/inspect-columnar.js';
import { registerFileViews } from '../files/file-views.js';
import type { ConnectDeps } from './connect-deps.js';
import { parseFilesOptions, type FilesOptions } from './files-options.js';

/** Bump when the way files are read changes, so fingerprints (and what depends on them) do. */
const READER_VERSION = 1;

/**
 * Every data file of a files source as a table: one per file, named by its base name. Files
 * are read by a private in-memory DuckDB engine; `details.reader` keeps the exact reader so
 * `registerFileViews` can recreate the views in any DuckDB engine.
 */
export async function discoverFileTables(config: SourceConfig, deps: ConnectDeps): Promise<SourceTable[]> {
  const options = parseFilesOptions(config.name, config.options);
  const files = await listDataFiles(config.location, deps.cwd);
  rejectDuplicateNames(config, files);
  const engine = await openDuckDbEngine();
  try {
    const tables: SourceTable[] = [];
    for (const file of files) tables.push(await discoverFile(engine, config, file, options, deps));
    await registerFileViews(engine, tables);
    return await Promise.all(tables.map(async (t) => ({ ...t, columns: await engine.describe(t.ref) })));
  } finally {
    await engine.close();
  }
}

async function discoverFile(
  engine: Engine,
  config: SourceConfig,
  file: DataFile,
  options: FilesOptions,
  deps: ConnectDeps,
): Promise<SourceTable> {
  const content = await fingerprintFile(file.path);
  const fingerprint = hashJson({ reader: READER_VERSION, format: file.format, gzip: file.gzip, content: content.fingerprint, options });
  let inspected: InspectedFile;
  if (file.format === 'csv') {
    const { quarantine, ...user } = options;
    inspected = await inspectCsv(engine, file, { cacheDir: deps.cacheDir, fingerprint, user, quarantine: quarantine === true });
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
