import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FathomError } from '../util/fathom-error.js';

/**
 * The .sql files of a folder beside a module, by name without extension. tsc does not copy
 * them to dist/, so from dist/… they are found under src/… by swapping the last `dist` path
 * segment (as the migrations are; see sqlite-migrations.ts).
 */
export function loadSqlFiles(moduleUrl: string, folder: string): Readonly<Record<string, string>> {
  const here = dirname(fileURLToPath(moduleUrl));
  const tried = [join(here, folder)];
  const parts = here.split(sep);
  const distAt = parts.lastIndexOf('dist');
  if (distAt >= 0) tried.push(join([...parts.slice(0, distAt), 'src', ...parts.slice(distAt + 1)].join(sep), folder));
  const dir = tried.find((d) => existsSync(d));
  if (dir === undefined) {
    throw new FathomError('failed', `SQL files not found in ${tried.join(' or ')}`, {
      hint: 'reinstall Fathom so src/ sits beside dist/',
    });
  }
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.sql')) out[f.slice(0, -4)] = readFileSync(join(dir, f), 'utf8');
  return Object.freeze(out);
}

/** One named file, or a clear error if a build lost it. */
export function sqlFile(files: Readonly<Record<string, string>>, name: string): string {
  const sql = files[name];
  if (sql === undefined)
    throw new FathomError('failed', `SQL file ${name}.sql is missing`, { hint: 'reinstall Fathom' });
  return sql;
}
