#!/usr/bin/env node
// Runs Node's built-in test runner over every compiled test file in dist/.
// Node 20's `node --test` takes no globs, so the files are listed here.
// Usage: node scripts/run-tests.js [substring filter...]
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dist = join(root, 'dist');
const filters = process.argv.slice(2);
const files = readdirSync(dist, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => join(dist, f))
  .filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no test files matched ${filters.join(' ') || 'dist/**/*.test.js'}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
