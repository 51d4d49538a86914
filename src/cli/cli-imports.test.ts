import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { repoPath } from '../testing/repo-path.js';

// The CLI calls the library a user (and the dashboard) calls: src/index.ts. A command that
// reaches into a room by a deep path uses something the public API does not offer, which is
// logic the library is missing. CLI files import each other freely (output, common, progress,
// the review prompt); anything outside src/cli/ comes through src/index.ts.

const SRC = repoPath('src');
const CLI = join(SRC, 'cli');
const INDEX = join(SRC, 'index.ts');

/**
 * Files that still import deep paths, each with its reason. Remove an entry once its file
 * imports only from src/index.ts (a test below fails until then, so the list only shrinks).
 */
const ALLOWED: ReadonlyMap<string, string> = new Map([]);

// Static imports and re-exports (types too), side-effect imports and dynamic imports of a
// literal: every way a module names another, as src/rooms.test.ts reads them.
const SPECIFIERS = [
  /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** The relative imports of `file` (its source `text`) that leave src/cli/ for anything but src/index.ts. */
function deepImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const re of SPECIFIERS) {
    for (const m of text.matchAll(re)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue; // a package
      const to = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (to === INDEX || !relative(CLI, to).startsWith('..')) continue;
      out.push(`${relative(CLI, file).split(sep).join('/')} -> ${relative(SRC, to).split(sep).join('/')}`);
    }
  }
  return out;
}

const files = readdirSync(CLI, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !/\.(test|fixture)\.ts$/.test(f))
  .map((f) => f.split(sep).join('/'));
const deepOf = (f: string) => deepImports(join(CLI, f), readFileSync(join(CLI, f), 'utf8'));

test('CLI files import other rooms only through src/index.ts', () => {
  assert.ok(files.length > 25, `${files.length} files`);
  assert.ok(files.includes('commands/tag-command.ts') && files.includes('output.ts'), 'the scanner reads the CLI');
  const deep = files.filter((f) => !ALLOWED.has(f)).flatMap(deepOf);
  assert.deepEqual(deep, [], 'import it from ../../index.js (export it there if it is missing)');
});

test('the allowlist names only files that exist and still import deep paths', () => {
  const stale = [...ALLOWED.keys()].filter((f) => !files.includes(f) || deepOf(f).length === 0);
  assert.deepEqual(stale, [], 'remove these from ALLOWED: they are clean now (or gone)');
});

test('the check catches a deep import of any form, and passes the index, CLI files and packages', () => {
  const file = join(CLI, 'commands', 'x-command.ts');
  const text = [
    "import { emit } from '../output.js';",
    "import { withWorkspace } from './common.js';",
    "import { tag, type TagFacts } from '../../index.js';",
    "import type { Command } from 'commander';",
    "import { decide } from '../../metadata/review-workspace.js';",
    "import type { Catalog } from '../../catalog/catalog.js';",
    "export { parseTarget } from '../../train/training-request.js';",
    "const lazy = await import('../../deploy/serve/create-server.js');",
  ].join('\n');
  assert.deepEqual(deepImports(file, text), [
    'commands/x-command.ts -> metadata/review-workspace.ts',
    'commands/x-command.ts -> catalog/catalog.ts',
    'commands/x-command.ts -> train/training-request.ts',
    'commands/x-command.ts -> deploy/serve/create-server.ts',
  ]);
});
