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
  /** `import type …`: erased from the compiled code, no dependency at run time. */
  readonly typeOnly: boolean;
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
      out.push({ from: file, to, typeOnly: m[2] !== undefined && /\btype\s/.test(m[2]) });
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
    { from: at('engine', 'x.ts'), to: at('cli', 'main.ts'), typeOnly: true },
    { from: at('cli', 'main.ts'), to: at('engine', 'x.ts'), typeOnly: false },
    { from: at('engine', 'x.test.ts'), to: at('cli', 'main.ts'), typeOnly: false },
  ]);
  assert.deepEqual(found, [`${join('engine', 'x.ts')} -> ${join('cli', 'main.ts')} (engine is below cli)`]);
  const parsed = importsOf(join(SRC, 'rooms.test.ts')).map((i) => relative(SRC, i.to));
  assert.deepEqual(parsed.sort(), ['rooms.ts', join('testing', 'repo-path.ts')]);
});

// What a pure function may reach at run time: computing a hash is no I/O.
const PURE_BUILTINS = new Set(['node:crypto']);

/** Packages and builtins a file imports for use at run time (not `import type`). */
function externalImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIERS[0]!))
    if (!(m[2] ?? '').includes('type') && !m[3]!.startsWith('.')) out.push(m[3]!);
  for (const m of text.matchAll(SPECIFIERS[2]!)) if (!m[1]!.startsWith('.')) out.push(m[1]!);
  return out;
}

/** Every module the files reach through imports used at run time, with what each imports from outside src/. */
function runtimeClosure(start: readonly string[]): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const queue = [...start];
  while (queue.length > 0) {
    const f = queue.shift()!;
    if (reached.has(f)) continue;
    reached.set(f, externalImports(f));
    for (const i of imports) if (i.from === f && !i.typeOnly) queue.push(i.to);
  }
  return reached;
}

test('the planner is pure: its derivation reaches no file, database, process, thread or clock of its own', () => {
  const derive = files.filter((f) => relative(SRC, f).startsWith(join('pipeline', 'derive')) && !isTestSupport(f));
  assert.ok(derive.length >= 6, derive.join(', '));
  const reached = runtimeClosure(derive);
  const impure = [...reached]
    .flatMap(([f, ext]) => ext.filter((e) => !PURE_BUILTINS.has(e)).map((e) => `${relative(SRC, f)} -> ${e}`))
    .sort();
  assert.deepEqual(impure, []);
  // It can fail: the state loader beside it reads the ledger, the sources and the clock.
  const loader = runtimeClosure([join(SRC, 'pipeline', 'load-state.ts')]);
  assert.ok([...loader.values()].some((ext) => ext.some((e) => !PURE_BUILTINS.has(e))));
});
