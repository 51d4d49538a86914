import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FathomError, toError } from '../util/fathom-error.js';

/**
 * Import modules that register action kinds: a path (relative to `cwd`) or a package
 * specifier each. The kernel knows no kind of its own; the composition room (pipeline/)
 * names Fathom's built-in ones, and `fathom worker --import` adds any others.
 */
export async function loadActionKinds(modules: readonly string[], cwd: string): Promise<void> {
  for (const m of modules) {
    const looksLikePath = m.startsWith('.') || isAbsolute(m) || /\.(m?js)$/.test(m) || m.startsWith('file:');
    const specifier = m.startsWith('file:') ? m : looksLikePath ? pathToFileURL(resolve(cwd, m)).href : m;
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
