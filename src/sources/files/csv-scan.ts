import { randomBytes } from 'node:crypto';
import type { Engine } from '../../engine/engine.js';
import { csvReaderSql, type CsvReadSpec } from './csv-read-spec.js';

/** One row DuckDB could not read, as its reject table reports it. */
export interface CsvReject {
  /** DuckDB's line number: it counts CSV records, so it drifts after quoted newlines. */
  readonly duckLine: number;
  /** Byte offset DuckDB gives for the row's start (±1, see line-locator.ts). */
  readonly lineBytePosition: number | null;
  readonly bytePosition: number | null;
  readonly column: string | null;
  readonly errorType: string;
  readonly text: string;
  readonly message: string;
}

export interface CsvScan {
  readonly spec: CsvReadSpec;
  /** Rows that read cleanly. */
  readonly rows: number;
  /** Rows that did not (never CAST errors: those columns were widened to VARCHAR). */
  readonly rejects: CsvReject[];
  readonly widened: string[];
}

/**
 * Read the whole file once with `store_rejects`, so every bad row is recorded (with its byte
 * position) instead of the first one aborting the read. Every column is aggregated because
 * `count(*)` alone lets DuckDB skip converting columns, and a conversion error would go unseen.
 *
 * The sniffer types columns from a sample (20,480 rows by default). A value later in the file
 * that does not fit its column's type comes back here as a CAST reject; that column becomes
 * VARCHAR and the file is read again. `sample_size=-1` would avoid the second read but makes
 * every file pay for two full reads (sniff, then scan); this way only mixed-type files do.
 */
export async function scanCsv(engine: Engine, initial: CsvReadSpec): Promise<CsvScan> {
  let spec = initial;
  const widened: string[] = [];
  for (;;) {
    const { rows, rejects } = await scanOnce(engine, spec);
    const castColumns = new Set(
      rejects.filter((r) => r.errorType === 'CAST' && r.column !== null).map((r) => r.column as string),
    );
    const toWiden = spec.columns.filter((c) => castColumns.has(c.name) && c.type !== 'VARCHAR');
    if (toWiden.length === 0) return { spec, rows, rejects, widened };
    widened.push(...toWiden.map((c) => c.name));
    spec = {
      ...spec,
      columns: spec.columns.map((c) => (castColumns.has(c.name) ? { name: c.name, type: 'VARCHAR' } : c)),
    };
  }
}

async function scanOnce(engine: Engine, spec: CsvReadSpec): Promise<{ rows: number; rejects: CsvReject[] }> {
  const { quoteIdent, quoteString } = engine.dialect;
  const id = randomBytes(6).toString('hex');
  const rejectsTable = `fathom_rejects_${id}`;
  const scansTable = `fathom_scans_${id}`;
  const reader = csvReaderSql({ ...spec, ignoreErrors: false }, quoteString, [
    'store_rejects=true',
    `rejects_table=${quoteString(rejectsTable)}`,
    `rejects_scan=${quoteString(scansTable)}`,
  ]);
  const counts = spec.columns.map((c, i) => `count(${quoteIdent(c.name)}) AS c${i}`);
  try {
    const result = await engine.query(`SELECT ${['count(*) AS n', ...counts].join(', ')} FROM ${reader}`);
    const rows = Number(result.rows[0]?.n ?? 0);
    const rejected = await engine.query(
      `SELECT line, line_byte_position, byte_position, column_name, error_type, csv_line, error_message
       FROM ${quoteIdent(rejectsTable)} ORDER BY line`,
    );
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const rejects = rejected.rows.map((r) => ({
      duckLine: Number(r.line),
      lineBytePosition: num(r.line_byte_position),
      bytePosition: num(r.byte_position),
      column: typeof r.column_name === 'string' ? r.column_name : null,
      errorType: String(r.error_type),
      text: typeof r.csv_line === 'string' ? r.csv_line : '',
      message: typeof r.error_message === 'string' ? r.error_message : '',
    }));
    return { rows, rejects };
  } finally {
    await engine.exec(
      `DROP TABLE IF EXISTS ${quoteIdent(rejectsTable)}; DROP TABLE IF EXISTS ${quoteIdent(scansTable)};`,
    );
  }
}
