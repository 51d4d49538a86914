import { join } from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { badInput } from '../../util/fathom-error.js';
import type { DataFile } from './data-file.js';
import { csvReaderSql, sniffCsv, type CsvReadSpec, type CsvUserOptions } from './csv-read-spec.js';
import { scanCsv, type CsvScan } from './csv-scan.js';
import { describeBadRows, malformedRowsError, quarantineFile, writeQuarantine } from './csv-bad-rows.js';
import {
  checkEncodingName,
  detectEncoding,
  isUtf8Name,
  readSample,
  transcodeToUtf8,
  type DetectedEncoding,
} from './text-encoding.js';

export interface InspectedFile {
  /** The DuckDB table expression that reads the file as discovered, e.g. `read_csv(...)`. */
  readonly reader: string;
  readonly rows: number;
  readonly details: Record<string, unknown>;
}

export interface CsvContext {
  readonly cacheDir: string;
  /** The table fingerprint: names the transcoded copy, so a changed file gets a new one. */
  readonly fingerprint: string;
  readonly user: CsvUserOptions;
  readonly quarantine: boolean;
}

const SAMPLE = 256 * 1024;

/**
 * Work out how to read one CSV file and read it fully once: encoding (transcoding to a UTF-8
 * copy in the cache when needed), dialect, column types that hold for every row, and the
 * malformed rows, which either fail discovery with `file:line` or are quarantined.
 */
export async function inspectCsv(engine: Engine, file: DataFile, ctx: CsvContext): Promise<InspectedFile> {
  const sample = await readSample(file.path, file.gzip, SAMPLE);
  const truncated = sample.length === SAMPLE;
  if (
    !truncated &&
    sample
      .toString('latin1')
      .replace(/^\xef\xbb\xbf/, '')
      .trim() === ''
  ) {
    // An empty file has no header to name columns, and a table without columns cannot exist.
    throw badInput(
      `${file.path} is empty: it has no header line and no rows`,
      'Remove it from the source, or write at least a header line.',
    );
  }
  let encoding: DetectedEncoding =
    ctx.user.encoding !== undefined
      ? { encoding: checkEncodingName(ctx.user.encoding), by: 'user' }
      : detectEncoding(sample, truncated);
  let read = await prepare(file, encoding, ctx);
  let scan = await scanCsv(engine, await sniffCsv(engine, read.path, ctx.user));

  // Non-UTF-8 bytes beyond an all-ASCII sample: detect again around the first one and start
  // over. A sample that already held valid multi-byte UTF-8 says the file is UTF-8 and the
  // bad bytes are damage, reported as malformed rows rather than mis-decoding the whole file.
  const badBytes = scan.rejects.find((r) => r.errorType.startsWith('INVALID'));
  const asciiSample = !sample.some((b) => b >= 0x80);
  if (badBytes !== undefined && asciiSample && encoding.by !== 'user' && isUtf8Name(encoding.encoding)) {
    const at = Math.max(0, (badBytes.bytePosition ?? 0) - SAMPLE / 2);
    const again = detectEncoding(await readSample(file.path, file.gzip, SAMPLE, at), true);
    if (!isUtf8Name(again.encoding)) {
      encoding = again;
      read = await prepare(file, encoding, ctx);
      scan = await scanCsv(engine, await sniffCsv(engine, read.path, ctx.user));
    }
  }

  const quarantinePath = quarantineFile(ctx.cacheDir, file.tableName);
  const bad = await describeBadRows(read.path, read.gzip, scan.rejects);
  if (bad.length > 0 && !ctx.quarantine) throw malformedRowsError(file.path, bad, quarantinePath);
  if (ctx.quarantine) await writeQuarantine(quarantinePath, bad);
  const spec: CsvReadSpec = { ...scan.spec, ignoreErrors: bad.length > 0 };
  return {
    reader: csvReaderSql(spec, engine.dialect.quoteString),
    rows: scan.rows,
    details: csvDetails(
      file,
      spec,
      scan,
      encoding,
      read.path,
      ctx.quarantine ? { count: bad.length, path: quarantinePath } : null,
    ),
  };
}

/** The file DuckDB reads: the original, or a UTF-8 copy in the cache. */
async function prepare(
  file: DataFile,
  encoding: DetectedEncoding,
  ctx: CsvContext,
): Promise<{ path: string; gzip: boolean }> {
  if (isUtf8Name(encoding.encoding)) return { path: file.path, gzip: file.gzip };
  const dest = join(ctx.cacheDir, `${ctx.fingerprint}.csv`);
  await transcodeToUtf8(file.path, file.gzip, encoding.encoding, dest);
  return { path: dest, gzip: false };
}

function csvDetails(
  file: DataFile,
  spec: CsvReadSpec,
  scan: CsvScan,
  encoding: DetectedEncoding,
  readPath: string,
  quarantine: { count: number; path: string } | null,
): Record<string, unknown> {
  return {
    format: 'csv',
    compression: file.gzip ? 'gzip' : 'none',
    delimiter: spec.delimiter,
    quote: spec.quote,
    escape: spec.escape,
    ...(spec.decimalSeparator === undefined ? {} : { decimalSeparator: spec.decimalSeparator }),
    header: spec.header,
    skipRows: spec.skip,
    encoding: encoding.encoding,
    encodingDetectedBy: encoding.by,
    ...(readPath === file.path ? {} : { transcodedTo: readPath }),
    ...(scan.widened.length > 0 ? { widenedToVarchar: scan.widened } : {}),
    ...(quarantine === null
      ? {}
      : { quarantined: quarantine.count, ...(quarantine.count > 0 ? { quarantineFile: quarantine.path } : {}) }),
  };
}
