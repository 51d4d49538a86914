import type { Engine } from '../../engine/engine.js';
import { FathomError } from '../../util/fathom-error.js';
import type { DataFile } from './data-file.js';
import type { InspectedFile } from './inspect-csv.js';

/** Parquet carries its schema and row counts in its footer: nothing to detect. */
export async function inspectParquet(engine: Engine, file: DataFile): Promise<InspectedFile> {
  const reader = `read_parquet(${engine.dialect.quoteString(file.path)})`;
  const rows = await countAll(engine, file, reader, 'Parquet');
  return { reader, rows, details: { format: 'parquet' } };
}

/**
 * JSON: an array of objects or one object per line. DuckDB infers the schema from the first
 * 20,480 records; a record later that does not fit fails the full read, and the file is then
 * inferred from every record (`sample_size=-1`, a second full read only for such files).
 */
export async function inspectJson(engine: Engine, file: DataFile): Promise<InspectedFile> {
  const q = engine.dialect.quoteString;
  const base = [q(file.path), ...(file.jsonLines ? ["format='newline_delimited'"] : [])];
  let reader = `read_json(${base.join(', ')})`;
  let rows: number;
  try {
    rows = await countAll(engine, file, reader, 'JSON');
  } catch (err) {
    if (!(err instanceof FathomError) || !/transform error|Could not convert|cast/i.test(String(err.message)))
      throw err;
    reader = `read_json(${[...base, 'sample_size=-1'].join(', ')})`;
    rows = await countAll(engine, file, reader, 'JSON');
  }
  return {
    reader,
    rows,
    details: { format: 'json', layout: file.jsonLines ? 'lines' : 'auto', compression: file.gzip ? 'gzip' : 'none' },
  };
}

/** Count rows, converting every column so a value that does not fit surfaces here. */
async function countAll(engine: Engine, file: DataFile, reader: string, label: string): Promise<number> {
  try {
    const described = await engine.query(`DESCRIBE SELECT * FROM ${reader}`);
    const counts = described.rows.map((r, i) => `count(${engine.dialect.quoteIdent(String(r.column_name))}) AS c${i}`);
    const result = await engine.query(`SELECT ${['count(*) AS n', ...counts].join(', ')} FROM ${reader}`);
    return Number(result.rows[0]?.n ?? 0);
  } catch (thrown) {
    const cause = thrown instanceof Error && thrown.cause instanceof Error ? thrown.cause : thrown;
    const detail = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '';
    throw new FathomError('bad_input', `${file.path}: cannot be read as ${label}: ${detail}`, {
      cause: thrown,
      hint: `Check that the file is complete, valid ${label}.`,
    });
  }
}
