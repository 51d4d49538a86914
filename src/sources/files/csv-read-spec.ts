import type { Engine } from '../../engine/engine.js';

/** Everything `read_csv` needs, fixed after sniffing so every later read parses the same way. */
export interface CsvReadSpec {
  readonly path: string;
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
  readonly header: boolean;
  readonly skip: number;
  readonly comment: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly dateFormat: string | null;
  readonly timestampFormat: string | null;
  /** `,` for files written with decimal commas (`3,50`); absent means `.`. */
  readonly decimalSeparator?: string;
  /** Skip malformed rows (quarantine mode); they were counted and set aside at discovery. */
  readonly ignoreErrors: boolean;
}

/** Options the user may set on a files source (`fathom.yaml` or flags). */
export interface CsvUserOptions {
  readonly delimiter?: string;
  readonly quote?: string;
  readonly escape?: string;
  readonly header?: boolean;
  readonly encoding?: string;
}

/** The DuckDB `read_csv(...)` call for a spec, with `extra` named arguments appended. */
export function csvReaderSql(spec: CsvReadSpec, quote: (s: string) => string, extra: readonly string[] = []): string {
  const columns = spec.columns.map((c) => `${quote(c.name)}: ${quote(c.type)}`).join(', ');
  const args = [
    quote(spec.path),
    'auto_detect=false',
    `delim=${quote(spec.delimiter)}`,
    `quote=${quote(spec.quote)}`,
    `escape=${quote(spec.escape)}`,
    `header=${spec.header}`,
    `skip=${spec.skip}`,
    `columns={${columns}}`,
  ];
  if (spec.comment !== '') args.push(`comment=${quote(spec.comment)}`);
  if (spec.dateFormat !== null) args.push(`dateformat=${quote(spec.dateFormat)}`);
  if (spec.timestampFormat !== null) args.push(`timestampformat=${quote(spec.timestampFormat)}`);
  if (spec.decimalSeparator !== undefined) args.push(`decimal_separator=${quote(spec.decimalSeparator)}`);
  if (spec.ignoreErrors) args.push('ignore_errors=true');
  return `read_csv(${[...args, ...extra].join(', ')})`;
}

const EMPTY = '(empty)';

/**
 * DuckDB's sniffer on `path`. `ignore_errors=true` matters: without it a few ragged rows make
 * the sniffer give up on the real delimiter and read each line as one column (DuckDB 1.5).
 */
export async function sniffCsv(engine: Engine, path: string, user: CsvUserOptions): Promise<CsvReadSpec> {
  const spec = await sniffOnce(engine, path, user, []);
  if (spec.delimiter === ',') return spec;
  // DuckDB's sniffer never tries decimal commas, so `1;3,50` read as text. A file whose
  // fields are not comma-separated may use them: sniff again, and keep the reading that
  // finds more numeric columns. A value with a thousands dot (`1.234,75`) is still a CAST
  // reject in the full scan, which widens that column back to VARCHAR.
  const comma = await sniffOnce(engine, path, user, [`decimal_separator=${engine.dialect.quoteString(',')}`]);
  return numericColumns(comma) > numericColumns(spec) ? { ...comma, decimalSeparator: ',' } : spec;
}

const numericColumns = (spec: CsvReadSpec): number =>
  spec.columns.filter((c) => /^(DOUBLE|FLOAT|DECIMAL)/.test(c.type)).length;

async function sniffOnce(
  engine: Engine,
  path: string,
  user: CsvUserOptions,
  extra: readonly string[],
): Promise<CsvReadSpec> {
  const q = engine.dialect.quoteString;
  const args = [q(path), 'ignore_errors=true', ...extra];
  if (user.delimiter !== undefined) args.push(`delim=${q(user.delimiter)}`);
  if (user.quote !== undefined) args.push(`quote=${q(user.quote)}`);
  if (user.escape !== undefined) args.push(`escape=${q(user.escape)}`);
  if (user.header !== undefined) args.push(`header=${user.header}`);
  const { rows } = await engine.query(
    `SELECT Delimiter AS delimiter, Quote AS quote, Escape AS escape, HasHeader AS header, SkipRows AS skip,
       Comment AS comment, DateFormat AS date_format, TimestampFormat AS timestamp_format,
       CAST(to_json(Columns) AS VARCHAR) AS columns
     FROM sniff_csv(${args.join(', ')})`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`sniff_csv returned no row for ${path}`);
  const text = (v: unknown) => (typeof v === 'string' && v !== EMPTY ? v : '');
  // The sniffer reports no quote when its sample had none, but a quoted field may come later;
  // RFC 4180 quoting (" escaped by "") reads unquoted files the same, so it is the safe default.
  const quoteChar = user.quote ?? (text(row.quote) || '"');
  const escape = user.escape ?? (text(row.escape) || quoteChar);
  const columns = JSON.parse(String(row.columns)) as Array<{ name: string; type: string }>;
  return {
    path,
    delimiter: text(row.delimiter) || ',',
    quote: quoteChar,
    escape,
    header: row.header === true,
    skip: Number(row.skip ?? 0),
    comment: text(row.comment),
    columns: columns.map((c) => ({ name: c.name, type: c.type })),
    dateFormat: typeof row.date_format === 'string' && row.date_format !== '' ? row.date_format : null,
    timestampFormat:
      typeof row.timestamp_format === 'string' && row.timestamp_format !== '' ? row.timestamp_format : null,
    ignoreErrors: false,
  };
}
