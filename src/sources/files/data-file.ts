import { basename } from 'node:path';

export type FileFormat = 'csv' | 'parquet' | 'json';

/** What a data file's name says about how to read it. */
export interface DataFile {
  readonly path: string;
  readonly format: FileFormat;
  readonly gzip: boolean;
  /** `.ndjson`/`.jsonl` promise one record per line; `.json` may be an array or lines. */
  readonly jsonLines: boolean;
  /** The base name without its data extensions: `orders.csv.gz` → `orders`. */
  readonly tableName: string;
}

const FORMATS: Record<string, { format: FileFormat; jsonLines?: boolean; gzipOk: boolean }> = {
  csv: { format: 'csv', gzipOk: true },
  tsv: { format: 'csv', gzipOk: true },
  txt: { format: 'csv', gzipOk: true },
  parquet: { format: 'parquet', gzipOk: false },
  json: { format: 'json', gzipOk: true },
  ndjson: { format: 'json', jsonLines: true, gzipOk: true },
  jsonl: { format: 'json', jsonLines: true, gzipOk: true },
};

export const DATA_EXTENSIONS = Object.keys(FORMATS);

/** The data file a path names, or null when its extension is not one Fathom reads. */
export function classifyDataFile(path: string): DataFile | null {
  let name = basename(path);
  let gzip = false;
  if (/\.gz$/i.test(name)) {
    gzip = true;
    name = name.slice(0, -3);
  }
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const spec = FORMATS[name.slice(dot + 1).toLowerCase()];
  if (spec === undefined || (gzip && !spec.gzipOk)) return null;
  return { path, format: spec.format, gzip, jsonLines: spec.jsonLines === true, tableName: name.slice(0, dot) };
}
