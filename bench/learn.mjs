#!/usr/bin/env node
// GBDT bench: ours (dist/) against scikit-learn's HistGradientBoosting on the same data file,
// the same split, in the same run. Each fit runs in its own process so peak memory is its own.
// The synthetic table is one 80/20 split (200k test rows: the metric is not noise-bound); the
// small real datasets are scored by repeated (stratified) 5-fold CV on the same folds for both,
// so a difference is not one lucky 114-row test set. Timings are medians of --repeat runs.
// Usage: npm run build && node bench/learn.mjs [--rows 1000000] [--repeat 3] [--skip-peer] [--skip-real]
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);

async function main() {
  const rows = Number(option('--rows', '1000000'));
  const dir = join(tmpdir(), 'fathom-bench-learn');
  mkdirSync(dir, { recursive: true });
  const python = ['/usr/bin/python3', 'python3'].find(
    (p) => spawnSync(p, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0,
  );
  const peer = !flag('--skip-peer') && python !== undefined;
  if (!peer)
    console.error(
      flag('--skip-peer')
        ? 'peer skipped (--skip-peer)'
        : 'scikit-learn not found: peer skipped (apt-get install -y python3-sklearn)',
    );
  const repeat = Math.max(1, Number(option('--repeat', '1')));
  const sets = [writeSynthetic(dir, rows)];
  if (!flag('--skip-real')) {
    if (python === undefined) console.error('real datasets come from scikit-learn bundled data: skipped');
    else for (const name of REAL_SETS) sets.push(exportSklearnDataset(python, dir, name));
  }
  const results = [];
  for (const set of sets) {
    const h = JSON.parse(readFileSync(set, 'utf8'));
    const y = readTarget(h);
    const runs = [];
    // The small real sets fit in milliseconds: only the metric matters there, on one thread.
    for (const threads of h.folds ? [1] : [1, 2]) {
      const impls = [
        [
          'fathom',
          () => [process.execPath, [fileURLToPath(import.meta.url), '--worker', set, '', String(threads)], {}],
        ],
      ];
      // Passive OpenMP waits: with spinning waits and other processes on the cores, 2-thread
      // scikit-learn ran 8x slower than 1-thread here (100k rows: 50 s against 6 s).
      if (peer)
        impls.push([
          'sklearn',
          () => [
            python,
            [join(here, 'learn', 'peer.py'), set, ''],
            { OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: 'PASSIVE' },
          ],
        ]);
      for (const [impl, command] of impls) {
        const out = join(dir, `${h.name}-${impl}-${threads}.bin`);
        const tries = [];
        for (let k = 0; k < (h.folds ? 1 : repeat); k++) {
          const [cmd, argv, env] = command();
          argv[argv.indexOf('')] = out;
          tries.push(child(cmd, argv, env));
        }
        runs.push({ impl, threads, ...medianOf(tries), runs: tries.length, out });
      }
    }
    for (const r of runs) {
      const pred = readFloat64(r.out);
      Object.assign(
        r,
        h.folds ? cvMetric(h, pred, y) : { metric: metricOf(h, pred, y.subarray(h.trainRows)), spread: null },
      );
    }
    if (h.folds && peer) pairedDifference(runs);
    for (const r of runs)
      results.push({
        dataset: `${h.name} (${h.rows}×${h.features.length}${h.folds ? `, ${h.folds.length}×5-fold CV` : ''})`,
        metricName: metricName(h),
        ...r,
      });
  }
  printTable(results);
}

/** scikit-learn's bundled datasets (no network): binary, multiclass and regression. */
const REAL_SETS = ['breast_cancer', 'wine', 'digits', 'diabetes'];

function metricName(h) {
  return h.task === 'regression' ? 'RMSE' : h.task === 'multiclass' ? 'AUC (macro one-vs-rest)' : 'AUC';
}

function metricOf(h, pred, y) {
  if (h.task === 'regression') return rmse(pred, y);
  if (h.task === 'binary') return auc(pred, y);
  const K = h.classes;
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const score = Float64Array.from(y, (_, i) => pred[i * K + k]);
    sum += auc(
      score,
      Float64Array.from(y, (v) => (v === k ? 1 : 0)),
    );
  }
  return sum / K;
}

/** Mean over every (repeat, fold) of the fold's metric, from out-of-fold predictions. */
function cvMetric(h, pred, y) {
  const values = foldMetrics(h, pred, y);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return { metric: mean, spread: sd, folds: values };
}

function foldMetrics(h, pred, y) {
  const K = h.task === 'multiclass' ? h.classes : 1;
  const values = [];
  h.folds.forEach((fold, r) => {
    const base = r * h.rows * K;
    for (let f = 0; f < 5; f++) {
      const rows = [...fold.keys()].filter((i) => fold[i] === f);
      const p = new Float64Array(rows.length * K);
      rows.forEach((i, j) => {
        for (let k = 0; k < K; k++) p[j * K + k] = pred[base + i * K + k];
      });
      values.push(
        metricOf(
          h,
          p,
          Float64Array.from(rows, (i) => y[i]),
        ),
      );
    }
  });
  return values;
}

/** Ours minus scikit-learn's per fold (same folds): the difference and its standard error. */
function pairedDifference(runs) {
  const o = runs.find((r) => r.impl === 'fathom');
  const s = runs.find((r) => r.impl === 'sklearn');
  const d = o.folds.map((v, i) => v - s.folds[i]);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const se = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1) / d.length);
  o.paired = { mean, se };
}

/** Per field, the median of repeated runs (the metric is the same every run). */
function medianOf(tries) {
  const out = { ...tries[0] };
  for (const key of ['fit', 'fitCpu', 'predict', 'predictAll', 'predictAllCpu', 'maxRssMB']) {
    const v = tries.map((t) => t[key]).sort((a, b) => a - b);
    out[key] = (v[Math.floor((v.length - 1) / 2)] + v[Math.ceil((v.length - 1) / 2)]) / 2;
    out[`${key}All`] = v;
  }
  return out;
}

function child(cmd, argv, env) {
  const r = spawnSync(cmd, argv, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function printTable(results) {
  const lines = [];
  const list = (r, key, digits) => (r.runs > 1 ? ` (${r[`${key}All`].map((v) => v.toFixed(digits)).join(', ')})` : '');
  lines.push(
    '| dataset | impl | threads | fit s | fit CPU s | predict test s | predict all rows s | predict all rows CPU s | metric | peak MB |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const metric = `${r.metricName} ${r.metric.toFixed(5)}${r.spread === null ? '' : ` ± ${r.spread.toFixed(5)} (sd over folds)`}`;
    lines.push(
      `| ${r.dataset} | ${r.impl} | ${r.threads} | ${r.fit.toFixed(2)}${list(r, 'fit', 2)} | ${r.fitCpu.toFixed(2)} | ${r.predict.toFixed(3)} | ${r.predictAll.toFixed(3)}${list(r, 'predictAll', 3)} | ${r.predictAllCpu.toFixed(3)} | ${metric} | ${r.maxRssMB.toFixed(0)} |`,
    );
  }
  lines.push('');
  lines.push(
    '| dataset | fit 1t ours/sklearn | fit CPU 1t ours/sklearn | fit ours 2t/1t | fit sklearn 2t/1t | predict all rows ours/sklearn (1t; 2t) | metric ours vs sklearn |',
  );
  lines.push('|---|---|---|---|---|---|---|');
  for (const ds of [...new Set(results.map((r) => r.dataset))]) {
    const get = (impl, t) => results.find((r) => r.dataset === ds && r.impl === impl && r.threads === t);
    const o1 = get('fathom', 1),
      o2 = get('fathom', 2),
      s1 = get('sklearn', 1),
      s2 = get('sklearn', 2);
    const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : 'n/a');
    // Positive = ours better (higher AUC, lower RMSE).
    const sign = o1?.metricName === 'RMSE' ? -1 : 1;
    const better = o1 && s1 ? ((sign * (o1.metric - s1.metric)) / s1.metric) * 100 : null;
    let metric =
      better === null
        ? 'n/a'
        : `${better >= 0 ? '+' : ''}${better.toFixed(2)}% ${o1.metricName} (${better >= 0 ? 'ours better' : 'ours worse'})`;
    if (o1?.paired)
      metric += `, paired per-fold difference ${(((sign * o1.paired.mean) / s1.metric) * 100).toFixed(2)}% ± ${((o1.paired.se / s1.metric) * 100).toFixed(2)}% (1 s.e.)`;
    lines.push(
      `| ${ds} | ${ratio(o1?.fit, s1?.fit)} | ${ratio(o1?.fitCpu, s1?.fitCpu)} | ${ratio(o2?.fit, o1?.fit)} | ${ratio(s2?.fit, s1?.fit)} | ${ratio(o1?.predictAll, s1?.predictAll)}; ${ratio(o2?.predictAll, s2?.predictAll)} | ${metric} |`,
    );
  }
  for (const ds of [...new Set(results.map((r) => r.dataset))]) {
    for (const t of [1, 2]) {
      const o = results.find((r) => r.dataset === ds && r.impl === 'fathom' && r.threads === t && r.predictAll > 0);
      const sk = results.find((r) => r.dataset === ds && r.impl === 'sklearn' && r.threads === t);
      if (o)
        lines.push(
          `predict every row of ${ds} with ${o.trees} trees, ${t} thread${t > 1 ? 's' : ''}: ours ${o.predictAll.toFixed(3)} s${sk ? `, scikit-learn ${sk.predictAll.toFixed(3)} s (${sk.trees} trees), ours/theirs ${(o.predictAll / sk.predictAll).toFixed(2)}` : ''}`,
        );
    }
  }
  console.log(lines.join('\n'));
  console.log(
    `\nload average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )} on ${availableParallelism()} cores (other processes share them; CPU seconds are steadier than wall seconds)`,
  );
}

/** Deterministic 1M×30 table: 24 numeric (some 5–20% missing), 3 categoricals, 3 noise; binary target. */
function writeSynthetic(dir, n) {
  const header = join(dir, `synthetic-${n}.json`);
  const dataFile = join(dir, `synthetic-${n}.bin`);
  if (existsSync(header) && existsSync(dataFile)) return header;
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const F = 30;
  const cats = { 24: 5, 25: 20, 26: 100 };
  const data = new Float64Array((F + 1) * n);
  const catEffect = Object.fromEntries(
    Object.entries(cats).map(([f, k]) => [f, Array.from({ length: k }, () => rnd() * 2 - 1)]),
  );
  for (let i = 0; i < n; i++) {
    const x = new Float64Array(F);
    for (let f = 0; f < F; f++) x[f] = cats[f] ? Math.floor(rnd() * cats[f]) : Math.fround(rnd() * 2 - 1);
    let z =
      1.5 * x[0] * x[1] +
      Math.sin(3 * x[2]) +
      x[3] * x[3] -
      0.5 +
      0.8 * x[4] +
      (x[5] > 0.3 ? 0.7 : -0.2) +
      0.5 * x[6] * x[7];
    for (let f = 8; f < 24; f++) z += 0.15 * x[f] * (f % 2 ? 1 : -1);
    for (const f of Object.keys(cats)) z += catEffect[f][x[f]];
    if (rnd() < 0.1) {
      x[8] = NaN;
      z += 0.5;
    }
    for (const f of [9, 10, 11]) if (rnd() < 0.05 + 0.05 * (f - 9)) x[f] = NaN;
    if (rnd() < 0.03) x[25] = NaN;
    const y = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    for (let f = 0; f < F; f++) data[f * n + i] = x[f];
    data[F * n + i] = y;
  }
  writeFileSync(dataFile, new Uint8Array(data.buffer));
  const features = Array.from({ length: F }, (_, f) =>
    cats[f]
      ? { name: `c${f}`, kind: 'categorical', categories: Array.from({ length: cats[f] }, (_, k) => `k${k}`) }
      : { name: `x${f}`, kind: 'numeric' },
  );
  writeFileSync(
    header,
    JSON.stringify({ name: 'synthetic', rows: n, trainRows: Math.floor(n * 0.8), task: 'binary', features, dataFile }),
  );
  return header;
}

/**
 * A dataset scikit-learn bundles (no network), in the same format, with the fold of every row
 * for 3 repeats of 5-fold CV (stratified for classes), from scikit-learn's own splitters.
 */
function exportSklearnDataset(python, dir, name) {
  const header = join(dir, `${name}-cv.json`);
  const task = name === 'diabetes' ? 'regression' : name === 'breast_cancer' ? 'binary' : 'multiclass';
  const script = `
import json, numpy as np, sklearn.datasets as d
from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold
b = d.load_${name}()
X, y = b.data.astype(np.float64), b.target.astype(np.float64)
task = ${JSON.stringify(task)}
cv = (RepeatedKFold if task == "regression" else RepeatedStratifiedKFold)(n_splits=5, n_repeats=3, random_state=0)
folds = np.zeros((3, len(y)), dtype=int)
for k, (_, test) in enumerate(cv.split(X, y)):
    folds[k // 5, test] = k % 5
np.concatenate([X.T.ravel(), y]).tofile(${JSON.stringify(join(dir, name + '.bin'))})
json.dump({"name": ${JSON.stringify(name)}, "rows": len(y), "trainRows": len(y), "task": task,
  "classes": int(y.max()) + 1 if task != "regression" else None, "folds": folds.tolist(),
  "features": [{"name": str(f), "kind": "numeric"} for f in (b.feature_names if hasattr(b, "feature_names") else range(X.shape[1]))],
  "dataFile": ${JSON.stringify(join(dir, name + '.bin'))}}, open(${JSON.stringify(header)}, "w"))
`;
  const r = spawnSync(python, ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`exporting ${name} failed: ${r.stderr}`);
  return header;
}

/** A file of float64s (copied: small Buffers share a pooled ArrayBuffer at an offset). */
function readFloat64(path) {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

function readAll(h) {
  return readFloat64(h.dataFile);
}

/** Only the target: the parent stays small, since a forked child starts from its RSS. */
function readTarget(h) {
  const fd = openSync(h.dataFile, 'r');
  const out = new Float64Array(h.rows);
  readSync(fd, new Uint8Array(out.buffer), 0, 8 * h.rows, 8 * h.features.length * h.rows);
  closeSync(fd);
  return out;
}

/** Peak resident memory of this process image (VmHWM; ru_maxrss would include a forking parent's). */
function peakMB() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

function datasetOf(h, all, from, to) {
  const n = h.rows;
  const features = h.features.map((f, j) => {
    const col = all.subarray(j * n + from, j * n + to);
    if (f.kind === 'numeric') return { name: f.name, kind: 'numeric', values: col };
    return {
      name: f.name,
      kind: 'categorical',
      categories: f.categories,
      codes: Int32Array.from(col, (v) => (Number.isNaN(v) ? -1 : v)),
    };
  });
  const kind = h.task;
  const task =
    kind === 'regression' ? { kind } : { kind, classes: Array.from({ length: h.classes ?? 2 }, (_, k) => String(k)) };
  return {
    rows: to - from,
    features,
    task,
    target: all.slice(h.features.length * n + from, h.features.length * n + to),
    targetName: 'y',
  };
}

/** The rows of a dataset at `index` (CV folds). */
function pickRows(d, index) {
  const features = d.features.map((f) =>
    f.kind === 'numeric'
      ? { ...f, values: Float64Array.from(index, (i) => f.values[i]) }
      : { ...f, codes: Int32Array.from(index, (i) => f.codes[i]) },
  );
  return { ...d, rows: index.length, features, target: Float64Array.from(index, (i) => d.target[i]) };
}

const PARAMS = { numRounds: 100, learningRate: 0.1, numLeaves: 31, minDataInLeaf: 20, maxBins: 255, lambdaL2: 0 };

/** Out-of-fold predictions for every repeat: `[repeat][row][output]`. */
async function crossValidate(h, whole, trainGbdt) {
  const K = h.task === 'multiclass' ? h.classes : 1;
  const out = new Float64Array(h.folds.length * h.rows * K);
  let fit = 0;
  for (const [r, fold] of h.folds.entries()) {
    for (let f = 0; f < 5; f++) {
      const trainIdx = [...fold.keys()].filter((i) => fold[i] !== f);
      const testIdx = [...fold.keys()].filter((i) => fold[i] === f);
      const t = performance.now();
      const model = await trainGbdt(pickRows(whole, trainIdx), PARAMS, { threads: 1 });
      fit += (performance.now() - t) / 1000;
      const p = model.predict(pickRows(whole, testIdx)).values;
      testIdx.forEach((i, j) => {
        for (let k = 0; k < K; k++) out[(r * h.rows + i) * K + k] = p[j * K + k];
      });
    }
  }
  return { out, fit };
}

async function worker(headerPath, outPath, threads) {
  const { trainGbdt } = await import('../dist/learn/gbdt/index.js');
  const h = JSON.parse(readFileSync(headerPath, 'utf8'));
  const all = readAll(h);
  if (h.folds) {
    const cpu0 = process.cpuUsage();
    const { out, fit } = await crossValidate(h, datasetOf(h, all, 0, h.rows), trainGbdt);
    const cpu = process.cpuUsage(cpu0);
    writeFileSync(outPath, new Uint8Array(out.buffer));
    console.log(
      JSON.stringify({
        fit,
        fitCpu: (cpu.user + cpu.system) / 1e6,
        predict: 0,
        predictAll: 0,
        predictAllCpu: 0,
        maxRssMB: peakMB(),
      }),
    );
    return;
  }
  const train = datasetOf(h, all, 0, h.trainRows);
  const test = datasetOf(h, all, h.trainRows, h.rows);
  const whole = datasetOf(h, all, 0, h.rows);
  const cpu0 = process.cpuUsage();
  let t = performance.now();
  const model = await trainGbdt(train, PARAMS, { threads });
  const fit = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const fitCpu = (cpu.user + cpu.system) / 1e6;
  t = performance.now();
  const pred = model.predict(test, { threads }).values;
  const predict = (performance.now() - t) / 1000;
  // Every row (1M for the default table) with this run's thread count, the median of three.
  const times = [];
  for (let k = 0; k < 3; k++) {
    const pc0 = process.cpuUsage();
    t = performance.now();
    model.predict(whole, { threads });
    const pc = process.cpuUsage(pc0);
    times.push([(performance.now() - t) / 1000, (pc.user + pc.system) / 1e6]);
  }
  times.sort((a, b) => a[0] - b[0]);
  const [predictAll, predictAllCpu] = times[1];
  writeFileSync(outPath, new Uint8Array(Float64Array.from(pred).buffer));
  console.log(
    JSON.stringify({ fit, fitCpu, predict, predictAll, predictAllCpu, maxRssMB: peakMB(), trees: model.trees.length }),
  );
}

function auc(score, y) {
  const idx = Array.from(score.keys()).sort((a, b) => score[a] - score[b]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && score[idx[j]] === score[idx[i]]) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++)
      if (y[idx[k]] === 1) {
        rankSum += rank;
        pos++;
      }
    i = j;
  }
  const neg = y.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function rmse(pred, y) {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i] - y[i]) ** 2;
  return Math.sqrt(s / y.length);
}

// Last, so every module-level constant above is initialised first.
if (args[0] === '--worker') await worker(args[1], args[2], Number(args[3]));
else await main();
