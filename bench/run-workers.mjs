#!/usr/bin/env node
// fathom run on 1 worker and on 2, each worker pinned to a core of its own (taskset), as two
// machines would be: the wall time of the whole run (raw files to a model in production) with a
// budget in work units, so both runs do the same work and must give the same model, and the
// ratio. The planning process runs nothing itself (--workers joined); it shares core 0.
// Usage: npm run build && node bench/run-workers.mjs [--units 120000000] [--models gbdt] [--repeat 1]
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const units = arg('units', '120000000');
const models = arg('models', 'gbdt');
const repeat = Number(arg('repeat', '1'));
const bin = fileURLToPath(new URL('../bin/fathom.js', import.meta.url));
const shop = fileURLToPath(new URL('../examples/shop', import.meta.url));
if (spawnSync('taskset', ['-c', '0', 'true']).status !== 0) {
  console.error('run-workers: taskset (util-linux) is needed to pin each worker to a core');
  process.exit(2);
}

async function once(workers) {
  const dir = await mkdtemp(join(tmpdir(), `fathom-bench-workers-${workers}-`));
  try {
    spawnSync(process.execPath, [bin, 'init', dir], { encoding: 'utf8' });
    await cp(shop, join(dir, 'shop'), { recursive: true });
    const procs = Array.from({ length: workers }, (_, i) =>
      spawn('taskset', ['-c', String(i), process.execPath, bin, 'worker', '--project', dir], {
        stdio: 'ignore',
        env: { ...process.env, FATHOM_WORKER_ID: `bench-w${i + 1}` },
      }),
    );
    const t0 = performance.now();
    const run = spawnSync(
      'taskset',
      [
        '-c',
        '0',
        process.execPath,
        bin,
        'run',
        'shop',
        '--yes',
        '--budget-units',
        units,
        '--models',
        models,
        '--seed',
        '1',
        '--workers',
        'joined',
        '--json',
        '-q',
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    const wall = (performance.now() - t0) / 1000;
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => p.on('exit', r))));
    if (run.status !== 0) throw new Error(`fathom run failed on ${workers} worker(s): ${run.stderr}`);
    const doc = JSON.parse(run.stdout);
    const trials = doc.nodes.filter((n) => n.kind === 'learn.trial').length;
    return { wall, model: doc.train.card.model, auc: doc.train.card.metrics.auc?.mean, trials };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(
  `fathom run examples/shop --yes --budget-units ${units} --models ${models}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('workers  wall_s  trials  auc     model');
const best = {};
for (let r = 0; r < repeat; r++) {
  for (const w of [1, 2]) {
    const o = await once(w);
    console.log(
      [w, o.wall.toFixed(1).padStart(6), String(o.trials).padStart(6), o.auc?.toFixed(4), o.model.slice(0, 12)].join(
        '  ',
      ),
    );
    if (!best[w] || o.wall < best[w].wall) best[w] = o;
  }
}
console.log(
  `speed-up, 2 workers over 1: ${(best[1].wall / best[2].wall).toFixed(2)}x (best of ${repeat}); same model: ${best[1].model === best[2].model ? 'yes' : 'NO'}`,
);
