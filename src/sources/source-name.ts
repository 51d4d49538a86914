import { basename, resolve } from 'node:path';

/** The source a location maps to: an existing one with that location, else its folder name. */
export function sourceNameFor(
  location: string,
  sources: Readonly<Record<string, { location: string }>>,
  root: string,
  cwd: string,
): string {
  const abs = resolve(cwd, location);
  for (const [name, s] of Object.entries(sources)) if (resolve(root, s.location) === abs) return name;
  const base = basename(abs)
    .replace(/\.[^.]+$/, '')
    .replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z]/.test(base) ? base : `src_${base}`;
}
