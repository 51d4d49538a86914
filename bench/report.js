#!/usr/bin/env node
// HTML report figures for a big catalog (default 100 tables x 50 columns): render time in Node,
// page size, and in headless Chromium the time to load, to draw the first screen and (with
// --all) to draw every chart. Prints figures; asserts nothing.
// Usage: npm run build && node bench/report.js [--tables 100] [--columns 50] [--all]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport } from '../dist/report/render-report.js';
import { syntheticCatalog } from '../dist/report/synthetic-catalog.js';
import { chromiumSkipReason, withChromium } from '../dist/testing/headless-chromium.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const tables = arg('tables', 100);
const columns = arg('columns', 50);
const all = process.argv.includes('--all');
const catalog = syntheticCatalog(tables, columns);

buildReport(catalog); // warm up: library files read once, JIT
const times = [];
let report;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  report = buildReport(catalog);
  times.push(performance.now() - t);
}
const bytes = Buffer.byteLength(report.html);
const libs = (report.html.match(/<script>[\s\S]*?<\/script>/g) ?? []).reduce((s, x) => s + Buffer.byteLength(x), 0);
console.log(`catalog            ${tables} tables x ${columns} columns, ${catalog.relationships.length} relationships`);
console.log(`render (Node)      median ${times.sort((a, b) => a - b)[1].toFixed(0)} ms of 3`);
console.log(
  `page               ${(bytes / 1e6).toFixed(2)} MB (${(libs / 1e6).toFixed(2)} MB inlined scripts), ${report.charts} charts`,
);

const skip = chromiumSkipReason();
if (skip) {
  console.log(`browser            skipped: ${skip}`);
  process.exit(0);
}
const dir = await mkdtemp(join(tmpdir(), 'fathom-bench-report-'));
const file = join(dir, 'report.html');
await writeFile(file, report.html);
await withChromium(async (context) => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 900 });
  const t0 = performance.now();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const loaded = performance.now() - t0;
  await page.locator('.chart-relationship-diagram svg').waitFor({ timeout: 120_000 });
  const firstScreen = performance.now() - t0;
  console.log(
    `browser load       ${loaded.toFixed(0)} ms (parse + scripts), first screen with diagram ${firstScreen.toFixed(0)} ms`,
  );
  // Open one table and draw its charts (what a reader waits for after expanding it).
  const t1 = performance.now();
  const one = await page.evaluate(`(() => {
    const d = document.querySelector('details.table-details'); d.open = true;
    return window.fathomReport.renderWithin(d);
  })()`);
  const oneMs = performance.now() - t1;
  console.log(
    `one table          ${one} charts drawn in ${oneMs.toFixed(0)} ms after opening it (${(oneMs / one).toFixed(1)} ms per chart)`,
  );
  if (all) {
    const t2 = performance.now();
    const n = await page.evaluate('window.fathomReport.renderAll()');
    console.log(`every chart        ${n} charts in ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  }
  if (errors.length) console.log(`page errors        ${errors.slice(0, 3).join(' | ')}`);
});
await rm(dir, { recursive: true, force: true });
