import { loadActionKinds } from '../orchestrate/load-action-kinds.js';

/**
 * Modules that register Fathom's own action kinds, imported by every worker. A kind whose
 * `run` closes over things only the planning process has (an open engine) cannot run in a
 * worker; it goes here once its params carry all it needs.
 */
const BUILTIN: readonly string[] = [
  '../explore/explore-kinds.js',
  '../explore/round-two/insight-kind.js',
  '../features/synthesis-kind.js',
  '../features/matrix-kind.js',
  '../features/feature-set-kind.js',
  '../train/dataset-kind.js',
  '../train/trial-kind.js',
  '../train/ensemble-kind.js',
].map((m) => new URL(m, import.meta.url).href);

/** Register the built-in kinds, then those of the extra modules (`fathom worker --import`), paths relative to `cwd`. */
export async function loadBuiltinKinds(extra: readonly string[] = [], cwd: string = process.cwd()): Promise<void> {
  await loadActionKinds([...BUILTIN, ...extra], cwd);
}
