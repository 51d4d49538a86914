#!/usr/bin/env node
// fathom train figures: wall time against the --time-budget (whole process, and the command's
// own clock), trials run, and the CV metric reached, on a generated customers table.
// Usage: npm run build && node bench/train-budget.js [--rows 20000] [--budgets 3,10,30]
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCustomersCsv } from '../dist/train/training-csv.fixture.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const rows = Number(arg('rows', '20000'));
const budgets = arg('budgets', '3,10,30').split(',').map(Number);
const bin = fileURLToPath(new URL('../bin/fathom.js', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'fathom-bench-train-'));
const fathom = (args, cwd) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
try {
  await writeCustomersCsv(join(dir, 'customers.csv'), rows, 1, 10);
  const startup = [0, 1, 2]
    .map(() => {
      const t = Date.now();
      fathom(['--version'], dir);
      return Date.now() - t;
    })
    .sort((a, b) => a - b)[1];
  console.log(
    `rows ${rows}, 19 columns; node + CLI startup (--version, median of 3): ${startup} ms; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log('budget_s  wall_ms  over_budget_%  command_ms  trials  completed  stopped  auc');
  for (const b of budgets) {
    const cwd = join(dir, `p${b}`);
    fathom(['init', cwd], dir);
    fathom(['connect', 'shop', join(dir, 'customers.csv')], cwd);
    const t = Date.now();
    const r = fathom(['train', '--target', 'customers.churned', '--time-budget', `${b}s`, '--json', '-q'], cwd);
    const wall = Date.now() - t;
    if (r.status !== 0) {
      console.log(`${b}  failed: ${r.stderr.trim()}`);
      continue;
    }
    const { card } = JSON.parse(r.stdout);
    const over = ((wall - b * 1000) / (b * 1000)) * 100;
    console.log(
      [
        b,
        wall,
        over.toFixed(1),
        card.time.usedMs,
        card.search.trials,
        card.search.completed,
        card.search.stopped,
        card.metrics.auc.mean.toFixed(4),
      ].join('  '),
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
