import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FathomError, toError } from '../util/fathom-error.js';

/**
 * Modules that register Fathom's own action kinds, imported by every worker. A kind whose
 * `run` closes over things only the planning process has (an open engine) cannot run in a
 * worker; it goes here once its params carry all it needs.
 */
const BUILTIN: readonly string[] = [
  '../explore/explore-kinds.js',
  '../explore/round-two/insight-kind.js',
  '../features/matrix-kind.js',
  '../features/feature-set-kind.js',
];

/**
 * Import the built-in kinds and the extra modules (`fathom worker --import`): a path
 * (relative to `cwd`) or a package specifier.
 */
export async function loadActionKinds(extra: readonly string[], cwd: string): Promise<void> {
  for (const m of BUILTIN) await import(m);
  for (const m of extra) {
    const looksLikePath = m.startsWith('.') || isAbsolute(m) || /\.(m?js)$/.test(m);
    const specifier = looksLikePath ? pathToFileURL(resolve(cwd, m)).href : m;
    try {
      await import(specifier);
    } catch (thrown) {
      throw new FathomError('bad_input', `cannot import action kinds from ${m}: ${toError(thrown).message}`, {
        cause: thrown,
        hint: 'pass the path of a compiled .js module (or a package name) that calls registerActionKind',
      });
    }
  }
}
