#!/usr/bin/env node
// fathom predict figures: rows/s of batch scoring of N entity keys (features computed from the
// shop demo's sources per chunk) against N feature rows (scored as given), CSV and Parquet out,
// and the process's peak RSS. The model is the shop churn model of the deploy test fixture.
// Usage: npm run build && node bench/predict.mjs [--rows 100000] [--chunk 10000]
import { mkdtemp, rm, writeFile, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { trainedShop } from '../dist/deploy/deploy.fixture.js';
import { openWorkspace } from '../dist/workspace/open-workspace.js';
import { resolveModelVersion } from '../dist/deploy/model-registry.js';
import { loadServedModel } from '../dist/deploy/served-model.js';
import { scoreEntities } from '../dist/features/scoring-plan.js';
import { scoreBatch } from '../dist/deploy/batch/score-batch.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const rows = Number(arg('rows', '100000'));
const chunk = Number(arg('chunk', '10000'));
const dir = await mkdtemp(join(tmpdir(), 'fathom-bench-predict-'));
const cell = (v) =>
  v === null || (typeof v === 'number' && Number.isNaN(v))
    ? ''
    : typeof v === 'string' && /[",\n]/.test(v)
      ? `"${v.replace(/"/g, '""')}"`
      : String(v);

try {
  const t0 = Date.now();
  const { env } = await trainedShop(dir);
  console.log(
    `fixture (explore, review, features, train): ${((Date.now() - t0) / 1000).toFixed(1)} s; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const ws = await openWorkspace(dir, { env });
  const m = await loadServedModel(ws, await resolveModelVersion(ws, 'customers.churned'));
  const now = new Date('2025-06-30T00:00:00Z');

  // N keys cycling over the 3000 customers, so every query computes real aggregates.
  await writeFile(
    join(dir, 'keys.csv'),
    ['customer_id', ...Array.from({ length: rows }, (_, i) => (i % 3000) + 1)].join('\n') + '\n',
  );
  // The same N rows as feature columns (the 3000 customers' features, repeated).
  const f = await scoreEntities(
    ws,
    m.scoring,
    Array.from({ length: 3000 }, (_, i) => ({ key: [i + 1] })),
    now,
  );
  const out = createWriteStream(join(dir, 'features.csv'));
  out.write(f.columns.map((c) => cell(c.name)).join(',') + '\n');
  const line = (r) => f.columns.map((c) => cell(c.data[r] ?? null)).join(',') + '\n';
  for (let i = 0; i < rows; i++) if (!out.write(line(i % 3000))) await new Promise((ok) => out.once('drain', ok));
  await new Promise((ok) => out.end(ok));
  console.log(
    `input: ${rows} rows; features.csv ${((await stat(join(dir, 'features.csv'))).size / 1e6).toFixed(1)} MB with ${f.columns.length} columns; chunk ${chunk}`,
  );

  console.log('input         output   mode      rows     ms       rows/s');
  for (const [input, output] of [
    ['keys.csv', 'k.parquet'],
    ['keys.csv', 'k.csv'],
    ['features.csv', 'f.parquet'],
    ['features.csv', 'f.csv'],
  ]) {
    const s = await scoreBatch(ws, m.version, join(dir, input), join(dir, output), { chunk, now, record: false });
    console.log(
      `${input.padEnd(14)}${s.format.padEnd(9)}${s.mode.padEnd(10)}${String(s.rows).padEnd(9)}${String(s.ms).padEnd(9)}${Math.round(s.rows / (s.ms / 1000))}`,
    );
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await ws.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
