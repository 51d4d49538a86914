import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A path inside the repository, from compiled code in dist/testing/ or source in src/testing/. */
export function repoPath(...parts: string[]): string {
  return join(fileURLToPath(new URL('../..', import.meta.url)), ...parts);
}
