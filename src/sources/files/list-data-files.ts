import { readdir, readlink, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { badInput } from '../../util/fathom-error.js';
import { classifyDataFile, DATA_EXTENSIONS, type DataFile } from './data-file.js';

const GLOB_CHARS = /[*?[{]/;

export function isGlob(location: string): boolean {
  return GLOB_CHARS.test(location);
}

/**
 * The data files a location names: one file, every data file under a folder (recursively,
 * skipping hidden entries), or the files a glob matches. Sorted, absolute paths.
 */
export async function listDataFiles(location: string, cwd: string = process.cwd()): Promise<DataFile[]> {
  const absolute = isAbsolute(location) ? location : resolve(cwd, location);
  let paths: string[];
  if (isGlob(location)) {
    const { root, pattern } = splitGlob(absolute);
    const matcher = globToRegExp(pattern);
    paths = (await walk(root)).filter((p) => matcher.test(relative(root, p).split(sep).join('/')));
    if (paths.length === 0)
      throw badInput(`No files match ${location}`, 'Check the pattern; quote it so the shell does not expand it.');
  } else {
    const info = await stat(absolute).catch(() => null);
    if (info === null)
      throw badInput(`${location} does not exist`, 'Check the path (relative paths start at the project folder).');
    paths = info.isDirectory() ? await walk(absolute) : [absolute];
  }
  const files = paths.map(classifyDataFile).filter((f): f is DataFile => f !== null);
  if (files.length === 0) {
    const single = !isGlob(location) && paths.length === 1 && paths[0] === absolute;
    throw badInput(
      single ? `${location} is not a data file Fathom reads` : `${location} holds no data files`,
      `Fathom reads ${DATA_EXTENSIONS.map((e) => `.${e}`).join(' ')} (optionally .gz).`,
    );
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
    else if (entry.isSymbolicLink() && classifyDataFile(path) !== null && (await linkedFile(path))) out.push(path);
  }
  return out;
}

/**
 * A link to a file is read like the file. Linked folders are not followed (a link to a parent
 * would loop). A dangling link that looks like a data file is an error naming it: skipping it
 * would drop a table without a word, and reading it failed later as an internal ENOENT.
 */
async function linkedFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (info === null) {
    const target = await readlink(path).catch(() => '?');
    throw badInput(
      `${path} is a symbolic link to ${target}, which does not exist`,
      'Fix the link or remove it from the folder.',
    );
  }
  return info.isFile();
}

/** The folder before the first glob character, and the pattern below it (with `/`). */
function splitGlob(absolute: string): { root: string; pattern: string } {
  const parts = absolute.split(sep);
  const first = parts.findIndex((p) => GLOB_CHARS.test(p));
  return { root: parts.slice(0, first).join(sep) || sep, pattern: parts.slice(first).join('/') };
}

/** `*` and `?` stay within a path segment, `**` spans segments, `[...]` and `{a,b}` as in shells. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        out += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end === -1) out += '\\{';
      else {
        out += `(?:${pattern
          .slice(i + 1, end)
          .split(',')
          .map(escapeRegExp)
          .join('|')})`;
        i = end;
      }
    } else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
