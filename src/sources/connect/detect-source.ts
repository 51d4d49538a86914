import { open, stat } from 'node:fs/promises';
import { extname, isAbsolute, resolve } from 'node:path';
import type { SourceKind } from '../source.js';
import { badInput } from '../../util/fathom-error.js';
import { classifyDataFile, DATA_EXTENSIONS } from '../files/data-file.js';
import { isGlob, listDataFiles } from '../files/list-data-files.js';

export interface DetectedSource {
  readonly kind: SourceKind;
  /** The location to store: a URL without its password, or the path as given. */
  readonly location: string;
  /** A password found in a URL, for the caller to put in the vault. Never store it elsewhere. */
  readonly password?: string;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const DUCKDB_MAGIC = Buffer.from('DUCK', 'latin1'); // at byte 8 of every DuckDB database file

/** What kind of source a LOCATION string names (`fathom connect LOCATION`). */
export async function detectSource(location: string, options: { cwd?: string } = {}): Promise<DetectedSource> {
  const trimmed = location.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return splitPostgresUrl(trimmed);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw badInput(
      `${redactUrl(trimmed)}: this kind of URL is not supported`,
      'Use a postgres:// URL, or a path to files, a SQLite or a DuckDB file.',
    );
  }
  const cwd = options.cwd ?? process.cwd();
  if (isGlob(trimmed)) {
    await listDataFiles(trimmed, cwd); // fails clearly when nothing matches
    return { kind: 'files', location: trimmed };
  }
  const path = isAbsolute(trimmed) ? trimmed : resolve(cwd, trimmed);
  const info = await stat(path).catch(() => null);
  if (info === null)
    throw badInput(`${trimmed} does not exist`, 'Check the path (relative paths start at the project folder).');
  if (info.isDirectory()) {
    await listDataFiles(trimmed, cwd);
    return { kind: 'files', location: trimmed };
  }
  const head = await readHead(path, 16);
  // Magic bytes decide, not the extension: `.db` is used by both SQLite and DuckDB.
  if (head.subarray(0, 16).equals(SQLITE_MAGIC)) return { kind: 'sqlite', location: trimmed };
  if (head.subarray(8, 12).equals(DUCKDB_MAGIC)) return { kind: 'duckdb', location: trimmed };
  const ext = extname(path).toLowerCase();
  if (['.sqlite', '.sqlite3', '.db', '.duckdb'].includes(ext)) {
    throw badInput(
      `${trimmed} is not a ${ext === '.duckdb' ? 'DuckDB' : 'SQLite'} database (its header does not match)`,
      'Check that the file is complete and really is a database file.',
    );
  }
  if (classifyDataFile(path) !== null) return { kind: 'files', location: trimmed };
  throw badInput(
    `Cannot tell what kind of source ${trimmed} is`,
    `Use a postgres:// URL, a SQLite or DuckDB file, or data files (${DATA_EXTENSIONS.map((e) => `.${e}`).join(' ')}, optionally .gz).`,
  );
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Move a password out of a Postgres URL (userinfo or `?password=`). */
export function splitPostgresUrl(url: string): DetectedSource {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badInput(`${redactUrl(url)} is not a valid Postgres URL`, 'Write it as postgres://user@host:5432/database.');
  }
  let password: string | undefined;
  if (parsed.password !== '') {
    password = decodeURIComponent(parsed.password);
    parsed.password = '';
  }
  const queryPassword = parsed.searchParams.get('password');
  if (queryPassword !== null) {
    password ??= queryPassword;
    parsed.searchParams.delete('password');
  }
  const location = parsed.toString();
  return password === undefined ? { kind: 'postgres', location } : { kind: 'postgres', location, password };
}

/** A URL safe to print: any password replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}
