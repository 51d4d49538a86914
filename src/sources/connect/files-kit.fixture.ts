import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SourceConfig, SourceTable } from '../source.js';
import type { Row } from '../../engine/engine.js';
import { openDuckDbEngine } from '../../engine/duckdb/duckdb-engine.js';
import { registerFileViews } from '../files/file-views.js';
import { discoverFileTables } from './files-connector.js';

/** A fresh folder with the given files (text is written as UTF-8, Buffers as they are). */
export async function fixtureDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fathom-files-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

export async function discover(
  location: string,
  options: Record<string, unknown> = {},
  cacheDir?: string,
): Promise<SourceTable[]> {
  const config: SourceConfig = { name: 'src', kind: 'files', location, options };
  return discoverFileTables(config, { cacheDir: cacheDir ?? join(location.replace(/[*?[{].*$/, ''), '.cache') });
}

/** Discover one file and return its table. */
export async function discoverOne(
  name: string,
  content: string | Buffer,
  options: Record<string, unknown> = {},
): Promise<SourceTable & { dir: string }> {
  const dir = await fixtureDir({ [name]: content });
  const tables = await discover(join(dir, name), options, join(dir, '.cache'));
  const table = tables[0];
  if (table === undefined || tables.length !== 1) throw new Error(`expected one table, got ${tables.length}`);
  return { ...table, dir };
}

/** Rows of a discovered table read through its view in a fresh engine. */
export async function readRows(table: SourceTable, select = '*', tail = ''): Promise<Row[]> {
  const engine = await openDuckDbEngine();
  try {
    await registerFileViews(engine, [table]);
    return (await engine.query(`SELECT ${select} FROM ${engine.dialect.quoteTable(table.ref)} ${tail}`)).rows;
  } finally {
    await engine.close();
  }
}

export const columnNames = (t: SourceTable) => t.columns.map((c) => c.name);
export const columnTypes = (t: SourceTable) => Object.fromEntries(t.columns.map((c) => [c.name, c.physicalType]));
