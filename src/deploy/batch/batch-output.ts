import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SqlValue } from '../../engine/engine.js';
import { openEngine } from '../../engine/open-engine.js';
import { badInput, FathomError } from '../../util/fathom-error.js';

/** The column types an output holds (DuckDB names; CSV output ignores them). */
export type OutputType = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'DATE';

export interface OutputColumn {
  readonly name: string;
  readonly type: OutputType;
}

export type OutputFormat = 'csv' | 'parquet';

/** Rows written to a temporary file; the output appears, whole, only on commit. */
export interface BatchOutput {
  readonly path: string;
  readonly format: OutputFormat;
  write(rows: ReadonlyArray<readonly SqlValue[]>): Promise<void>;
  commit(): Promise<void>;
  /** Remove what was written; the output path is left as it was. */
  abort(): Promise<void>;
}

export function outputFormat(path: string): OutputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet') return 'parquet';
  throw badInput(`Output ${path} must end in .csv or .parquet`, 'e.g. --output predictions.parquet');
}

/**
 * A CSV (header, RFC 4180 quoting, empty for null) is written directly. Parquet goes through
 * the same CSV in a temporary file, which DuckDB then copies to Parquet with the columns'
 * declared types: rows are streamed to disk, never held, and no driver is imported here.
 */
export async function openBatchOutput(path: string, columns: readonly OutputColumn[]): Promise<BatchOutput> {
  const target = resolve(path);
  const format = outputFormat(target);
  const folder = dirname(target);
  const folderStat = await stat(folder).catch(() => null);
  if (!folderStat?.isDirectory())
    throw badInput(
      `Cannot write ${target}: the folder ${folder} does not exist`,
      'Create the folder first, or write the output elsewhere.',
    );
  const tag = randomBytes(6).toString('hex');
  const csvPath = join(folder, `.${basename(target)}.${tag}.csv.tmp`);
  const stream = createWriteStream(csvPath, { flags: 'wx', mode: 0o644 });
  await new Promise<void>((ok, fail) => {
    stream.once('open', () => ok());
    stream.once('error', (err) =>
      fail(badInput(`Cannot write ${target}: ${err.message}`, 'Write the output to a folder you can write to.')),
    );
  });
  let failed: Error | null = null;
  stream.on('error', (err) => (failed = err));
  await write(stream, columns.map((c) => csvField(c.name)).join(',') + '\n');

  const end = () => new Promise<void>((ok, fail) => stream.end((err?: Error | null) => (err ? fail(err) : ok())));
  return {
    path: target,
    format,
    async write(rows) {
      if (failed) throw failed;
      let text = '';
      for (const row of rows) text += row.map(csvValue).join(',') + '\n';
      await write(stream, text);
    },
    async commit() {
      await end();
      if (failed) throw failed;
      if (format === 'csv') {
        await rename(csvPath, target);
        return;
      }
      const parquetPath = join(folder, `.${basename(target)}.${tag}.tmp`);
      try {
        await csvToParquet(csvPath, parquetPath, columns);
        await rename(parquetPath, target);
      } finally {
        await rm(csvPath, { force: true });
        await rm(parquetPath, { force: true });
      }
    },
    async abort() {
      if (!stream.closed) await end().catch(() => {});
      await rm(csvPath, { force: true });
    },
  };
}

async function csvToParquet(csv: string, parquet: string, columns: readonly OutputColumn[]): Promise<void> {
  const engine = await openEngine({ kind: 'duckdb' });
  try {
    const q = engine.dialect.quoteString;
    const types = columns.map((c) => `${q(c.name)}: ${q(c.type)}`).join(', ');
    const reader = `read_csv(${q(csv)}, auto_detect=false, header=true, delim=',', quote='"', escape='"', columns={${types}})`;
    await engine.exec(`COPY (SELECT * FROM ${reader}) TO ${q(parquet)} (FORMAT PARQUET, COMPRESSION ZSTD)`);
  } catch (err) {
    throw new FathomError('failed', `Writing Parquet ${parquet} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    await engine.close();
  }
}

function write(stream: WriteStream, text: string): Promise<void> {
  if (stream.write(text)) return Promise.resolve();
  return new Promise((ok, fail) => {
    const onError = (err: Error) => fail(err);
    stream.once('error', onError);
    stream.once('drain', () => {
      stream.off('error', onError);
      ok();
    });
  });
}

function csvValue(v: SqlValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Uint8Array) return csvField(Buffer.from(v).toString('base64'));
  return csvField(v);
}

/** Quote when needed; an empty string is quoted so it stays distinct from null. */
function csvField(s: string): string {
  return s === '' || /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
