import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { repoPath } from './testing/repo-path.js';
import { PURE, ROOMS, TEST_SUPPORT, type Room } from './rooms.js';

const SRC = repoPath('src');

interface Import {
  readonly from: string;
  readonly to: string;
}

/** A file that only tests use: tests, fixtures, kits and the shared conformance suites. */
const isTestSupport = (file: string): boolean =>
  /\.(test|fixture)\.ts$/.test(file) || /-conformance[a-z-]*\.ts$/.test(file) || roomOf(file) === TEST_SUPPORT;

function roomOf(file: string): string {
  const rel = relative(SRC, file).split(sep);
  return rel.length === 1 ? '(root)' : rel[0]!;
}

// Static imports and re-exports, dynamic imports of a literal, and worker entry points (a URL
// made relative to import.meta.url): every way a module here names another.
const SPECIFIERS = [
  /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
];

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const re of SPECIFIERS) {
    for (const m of text.matchAll(re)) {
      const spec = m[m.length - 1]!;
      const to = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      // Packages, and files outside src/ (the bin script a worker is spawned from), are no room's.
      if (!spec.startsWith('.') || !spec.endsWith('.js') || relative(SRC, to).startsWith('..')) continue;
      out.push({ from: file, to });
    }
  }
  return out;
}

const files = readdirSync(SRC, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => join(SRC, f));
const imports = files.flatMap(importsOf);
const rank = (room: string): number => ROOMS.indexOf(room as Room);
const show = (i: Import) => `${relative(SRC, i.from)} -> ${relative(SRC, i.to)}`;

test('every import is found: the scanner reads the files it should', () => {
  assert.ok(files.length > 400, `${files.length} files`);
  assert.ok(imports.length > 1500, `${imports.length} imports`);
  const missing = imports.filter((i) => !files.includes(i.to)).map(show);
  assert.deepEqual(missing, [], 'every relative import names a file of src/');
});

test('the order of rooms is one list naming every folder of src/', () => {
  const folders = new Set(files.map(roomOf).filter((r) => r !== '(root)'));
  const unknown = [...folders].filter((r) => rank(r) < 0 && r !== TEST_SUPPORT);
  assert.deepEqual(unknown, [], 'a new folder takes its place in src/rooms.ts');
});

/** Imports of the product that point at a room above their own. */
function upward(all: readonly Import[]): string[] {
  return all
    .filter((i) => !isTestSupport(i.from) && roomOf(i.from) !== '(root)')
    .filter((i) => roomOf(i.to) !== '(root)' && rank(roomOf(i.to)) > rank(roomOf(i.from)))
    .map((i) => `${show(i)} (${roomOf(i.from)} is below ${roomOf(i.to)})`);
}

test('each room imports only its own files and the rooms beneath it', () => {
  assert.deepEqual(upward(imports), []);
});

test('pure cores import nothing but util/ and themselves', () => {
  const impure = imports
    .filter((i) => !isTestSupport(i.from) && PURE.includes(roomOf(i.from) as Room))
    .filter((i) => roomOf(i.to) !== 'util' && roomOf(i.to) !== roomOf(i.from))
    .map(show);
  assert.deepEqual(impure, []);
});

test('the product never imports test support, and the public API stays below the CLI', () => {
  const bad = imports
    .filter((i) => !isTestSupport(i.from) && isTestSupport(i.to))
    .concat(imports.filter((i) => roomOf(i.from) === '(root)' && roomOf(i.to) === 'cli'))
    .map(show);
  assert.deepEqual(bad, []);
});

test('tests use their own room, the rooms beneath, fixtures and the test support', () => {
  const bad = imports
    .filter((i) => isTestSupport(i.from) && roomOf(i.from) !== TEST_SUPPORT)
    .filter((i) => !isTestSupport(i.to) && rank(roomOf(i.to)) > rank(roomOf(i.from)))
    .map(show);
  assert.deepEqual(bad, []);
});

test('the check fails on an upward import, and not on a downward or test one', () => {
  const at = (...p: string[]) => join(SRC, ...p);
  const found = upward([
    { from: at('engine', 'x.ts'), to: at('cli', 'main.ts') },
    { from: at('cli', 'main.ts'), to: at('engine', 'x.ts') },
    { from: at('engine', 'x.test.ts'), to: at('cli', 'main.ts') },
  ]);
  assert.deepEqual(found, [`${join('engine', 'x.ts')} -> ${join('cli', 'main.ts')} (engine is below cli)`]);
  const parsed = importsOf(join(SRC, 'rooms.test.ts')).map((i) => relative(SRC, i.to));
  assert.deepEqual(parsed.sort(), ['rooms.ts', join('testing', 'repo-path.ts')]);
});
