#!/usr/bin/env node
// Feature synthesis at scale, in bounded memory (issue 6): a parent `customers` and a child
// `orders` (skewed over the customers, 10% of them with no orders) are generated as Parquet by
// DuckDB, then the whole CLI runs on them in a fresh workspace with DuckDB's memory_limit set
// (FATHOM_MEMORY_LIMIT): init, connect, explore (timed on its own), tags for the target, keys,
// relationship and time indexes, and `fathom features --depth 1 --cutoff-time ...`.
// Then, each in its own process so each peak RSS is its own:
//   - ours: the recorded `features.matrix` SQL run again the way the action runs it (workspace
//     engine, queryToParquet), twice, to check the Parquet bytes are the same every time;
//   - ours-5: the same code compiling only COUNT, SUM, MEAN, MAX and TIME_SINCE_LAST;
//   - hand: those five written by hand as one plain DuckDB GROUP BY, COPY to Parquet;
//   - pandas groupby on the same Parquet, when python3 has pandas and pyarrow (skipped if not).
// Usage: npm run build && node bench/features.mjs [--parents 1000000] [--children 20000000]
//          [--small] [--memory-limit 2GB] [--threads 2] [--keep] [--data DIR (keep and reuse the Parquet)] [--generate-only]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = (p) => join(here, '..', 'dist', p);
const fathomBin = join(here, '..', 'bin', 'fathom.js');

const flag = (name) => process.argv.includes(`--${name}`);
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const small = flag('small');
const parents = Number(arg('parents', small ? 100_000 : 1_000_000));
const children = Number(arg('children', small ? 2_000_000 : 20_000_000));
const memoryLimit = arg('memory-limit', '2GB');
const threads = Number(arg('threads', 2));
/** Every row's cutoff: orders run from 2020 to the end of 2024, so a fifth come after it. */
const CUTOFF = '2024-01-01';

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const secs = (ms) => (ms / 1000).toFixed(2);
const mb = (bytes) => (bytes / 1e6).toFixed(1);

if (flag('child')) {
  await child(JSON.parse(await readFile(arg('job'), 'utf8')));
} else {
  await main();
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'fathom-bench-features-'));
  // --data DIR keeps the generated Parquet there and reuses it when it is already there.
  const dataRoot = arg('data', undefined) ?? dir;
  const data = join(dataRoot, 'tables');
  const ws = join(dir, 'ws');
  await mkdir(data, { recursive: true });
  await mkdir(ws);
  const env = {
    ...process.env,
    FATHOM_MEMORY_LIMIT: memoryLimit,
    FATHOM_THREADS: String(threads),
    FATHOM_LOG_LEVEL: 'quiet',
  };
  const rssFile = join(dir, 'rss.txt');
  const rssHook = join(dir, 'rss-hook.mjs');
  // A child's peak RSS, written as it exits (Node cannot read its children's rusage).
  await writeFile(
    rssHook,
    `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS * 1024)));\n`,
  );
  const run = (script, args, label) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', rssHook, script, ...args], {
      cwd: ws,
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const ms = performance.now() - t;
    if (r.status !== 0) {
      process.stderr.write(r.stderr);
      throw new Error(`${label} failed (exit ${r.status})`);
    }
    const rss = Number(readFileSync(rssFile, 'utf8'));
    return { ms, rss, stdout: r.stdout, stderr: r.stderr };
  };
  const fathom = (label, ...args) => run(fathomBin, args, label);
  const lines = [];
  const say = (s) => {
    lines.push(s);
    console.error(s);
  };

  try {
    say(
      `features bench: ${parents.toLocaleString()} customers x ${children.toLocaleString()} orders; DuckDB memory_limit=${memoryLimit}, threads=${threads}; load average ${load()}; folder ${dir}`,
    );
    const marker = join(dataRoot, 'bench-sizes.json');
    const wanted = JSON.stringify({ parents, children });
    const reuse = existsSync(marker) && readFileSync(marker, 'utf8') === wanted;
    const genMs = reuse ? 0 : await generate(data);
    if (!reuse) await writeFile(marker, wanted);
    const sizes = {
      customers: (await stat(join(data, 'customers.parquet'))).size,
      orders: (await stat(join(data, 'orders.parquet'))).size,
    };
    say(
      `  generate Parquet            ${reuse ? 'reused' : `${secs(genMs)} s`}  (customers ${mb(sizes.customers)} MB, orders ${mb(sizes.orders)} MB)`,
    );
    if (flag('generate-only')) return;

    fathom('init', 'init', '-q');
    const connect = fathom('connect', 'connect', 'bench', data);
    say(`  fathom connect              ${secs(connect.ms)} s  peak RSS ${mb(connect.rss)} MB`);
    const explore1 = fathom('explore', 'explore');
    say(`  fathom explore (round one)  ${secs(explore1.ms)} s  peak RSS ${mb(explore1.rss)} MB`);
    const tags = [
      ['customers.churned', '--target', '--kind', 'binary'],
      ['customers.customer_id', '--primary-key'],
      ['customers.signed_up_at', '--time-index'],
      ['orders.order_id', '--primary-key'],
      ['orders.ordered_at', '--time-index'],
      ['orders.customer_id', '--references', 'customers.customer_id'],
    ];
    let tagMs = 0;
    for (const t of tags) tagMs += fathom(`tag ${t[0]}`, 'tag', ...t).ms;
    say(`  fathom tag x ${tags.length}               ${secs(tagMs)} s`);
    const explore2 = fathom('explore', 'explore');
    say(`  fathom explore (round two)  ${secs(explore2.ms)} s  peak RSS ${mb(explore2.rss)} MB`);

    const features = fathom('features', 'features', '--depth', '1', '--cutoff-time', CUTOFF, '--json');
    const record = JSON.parse(features.stdout);
    const log = JSON.parse(fathom('log', 'log', '--kind', 'features.matrix', '-n', '1', '--json').stdout).entries[0];
    const matrixMs = log.detail.ms;
    say(
      `  fathom features --depth 1   ${secs(features.ms)} s  peak RSS ${mb(features.rss)} MB  (${record.features.length} features, kept ${record.selection.kept.length}; matrix ${record.matrix.rows.toLocaleString()} x ${record.matrix.columns.length}, ${mb(record.matrix.bytes)} MB Parquet)`,
    );
    say(
      `    of which features.matrix  ${secs(matrixMs)} s  ${Math.round(children / (matrixMs / 1000)).toLocaleString()} child rows/s`,
    );
    for (const w of record.warnings) say(`    warning: ${w}`);

    // The five aggregates the hand-written peer computes, compiled by our code.
    const { sql: five, names } = await compileFive(record);
    const job = async (name, body) => {
      const file = join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify({ ws, out: join(dir, `${name}.parquet`), ...body }));
      const r = run(fileURLToPath(import.meta.url), ['--child', '--job', file], name);
      return { ...JSON.parse(r.stdout), rss: r.rss };
    };
    const ours = await job('ours-1', {
      mode: 'ours',
      source: log.params.source,
      tables: log.params.tables,
      sql: log.params.sql,
      columns: log.params.columns,
    });
    const again = await job('ours-2', {
      mode: 'ours',
      source: log.params.source,
      tables: log.params.tables,
      sql: log.params.sql,
      columns: log.params.columns,
    });
    const fiveColumns = log.params.columns.filter((c) => record.key.includes(c.name) || names.includes(c.name));
    const ours5 = await job('ours-5', {
      mode: 'ours',
      source: log.params.source,
      tables: log.params.tables,
      sql: five,
      columns: fiveColumns,
    });
    const hand = await job('hand', {
      mode: 'hand',
      source: log.params.source,
      tables: log.params.tables,
      sql: handSql(record),
    });
    const rate = (r) => `${Math.round(children / (r.ms / 1000)).toLocaleString()} child rows/s`;
    say(
      `  ours, all ${record.features.length} features (1 thread) ${secs(ours.ms)} s  ${rate(ours)}  peak RSS ${mb(ours.rss)} MB  Parquet ${mb(ours.bytes)} MB`,
    );
    say(
      `  ours, again                  ${secs(again.ms)} s  peak RSS ${mb(again.rss)} MB  (byte-identical: ${ours.sha === again.sha && ours.sha === record.matrix.object ? 'yes, and equal to the stored object' : `NO (${ours.sha.slice(0, 12)} / ${again.sha.slice(0, 12)} / stored ${record.matrix.object.slice(0, 12)}): not deterministic`})`,
    );
    say(
      `  ours, 5 aggregates (1 thread) ${secs(ours5.ms)} s  ${rate(ours5)}  peak RSS ${mb(ours5.rss)} MB  Parquet ${mb(ours5.bytes)} MB`,
    );
    say(
      `  hand-written GROUP BY, 5 (${threads} threads) ${secs(hand.ms)} s  ${rate(hand)}  peak RSS ${mb(hand.rss)} MB  Parquet ${mb(hand.bytes)} MB`,
    );
    say(
      `  ratio ours-5 / hand          ${(ours5.ms / hand.ms).toFixed(2)}x   (all ${record.features.length} / hand: ${(ours.ms / hand.ms).toFixed(2)}x)`,
    );
    say(
      `  same values ours-5 / hand    ${await sameValues(join(dir, 'ours-5.parquet'), join(dir, 'hand.parquet'), names)}`,
    );
    say(`  pandas groupby               ${pandas(data, dir)}`);
    say(`  load average at the end      ${load()} (the machine's other work shares the cores)`);
  } finally {
    if (flag('keep')) console.error(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
  console.log(lines.join('\n'));
}

/** customers(customer_id, signed_up_at, credit_score, segment, churned); orders skewed over 90% of them. */
async function generate(data) {
  const { openDuckDbEngine } = await import(dist('engine/duckdb/duckdb-engine.js'));
  const spill = join(data, '..', 'gen-tmp');
  const engine = await openDuckDbEngine({ threads, memoryLimit, tempDirectory: spill });
  const t = performance.now();
  const q = (p) => engine.dialect.quoteString(p);
  try {
    await engine.exec(`COPY (SELECT range AS customer_id,
        DATE '2019-01-01' + (hash(range) % 1800)::INTEGER AS signed_up_at,
        CASE WHEN hash(range + 1) % 20 = 0 THEN NULL ELSE 300 + (hash(range + 2) % 550)::INTEGER END AS credit_score,
        ['retail', 'smb', 'enterprise', 'public', 'edu'][1 + (hash(range + 3) % 5)::BIGINT] AS segment,
        hash(range + 4) % 4 = 0 AS churned
      FROM range(${parents}) ORDER BY customer_id) TO ${q(join(data, 'customers.parquet'))} (FORMAT PARQUET, COMPRESSION ZSTD)`);
    // u^1.5 skews orders towards low ids; the top 10% of ids get none.
    await engine.exec(`COPY (SELECT range AS order_id,
        LEAST(FLOOR(${Math.floor(parents * 0.9)} * POW((hash(range + 5) % 1000000000) / 1e9, 1.5)), ${Math.floor(parents * 0.9) - 1})::BIGINT AS customer_id,
        TIMESTAMP '2020-01-01' + to_seconds((hash(range + 6) % 157766400)::BIGINT) AS ordered_at,
        CASE WHEN hash(range + 7) % 50 = 0 THEN NULL ELSE (hash(range + 8) % 50000) / 100.0 END AS amount,
        ['web', 'app', 'store', 'phone'][1 + (hash(range + 9) % 4)::BIGINT] AS channel,
        hash(range + 10) % 10 = 0 AS is_gift
      FROM range(${children}) ORDER BY order_id) TO ${q(join(data, 'orders.parquet'))} (FORMAT PARQUET, COMPRESSION ZSTD)`);
    return performance.now() - t;
  } finally {
    await engine.close();
    await rm(spill, { recursive: true, force: true });
  }
}

/** COUNT, SUM, MEAN, MAX of orders.amount and TIME_SINCE_LAST(orders.ordered_at), by our compiler. */
async function compileFive(record) {
  const { synthesize } = await import(dist('features/synthesize.js'));
  const { featureName } = await import(dist('features/feature-name.js'));
  const { compileMatrix } = await import(dist('features/compile-matrix.js'));
  const { cutoffSql } = await import(dist('features/resolve-cutoff.js'));
  const { duckDbDialect } = await import(dist('engine/duckdb/duckdb-dialect.js'));
  const graph = {
    source: record.graph.source,
    tables: new Map(record.graph.tables.map((t) => [t.name, t])),
    edges: record.graph.edges,
    notes: [],
  };
  const synthesis = synthesize(graph, record.target.table, {
    depth: record.depth,
    cutoff: true,
    exclude: new Set([record.target.column]),
    timeColumn: record.timeColumn,
    cutoffColumn: null,
  });
  const wanted = (n) =>
    n.type === 'aggregate' &&
    n.scope.table.name === 'orders' &&
    (n.op === 'COUNT' ||
      n.op === 'TIME_SINCE_LAST' ||
      (['SUM', 'MEAN', 'MAX'].includes(n.op) && n.node?.type === 'column' && n.node.column.name === 'amount'));
  // In the hand-written query's column order.
  const order = ['COUNT', 'SUM', 'MEAN', 'MAX', 'TIME_SINCE_LAST'];
  const features = synthesis.features
    .filter(wanted)
    .sort((a, b) => order.indexOf(a.op) - order.indexOf(b.op))
    .map((node) => ({ name: featureName(node, { cutoff: true, windowDays: null }), node }));
  if (features.length !== 5) throw new Error(`expected 5 features, found ${features.map((f) => f.name).join(', ')}`);
  const spec = { root: synthesis.root, key: record.key, carry: [], features, windowDays: null, cutoff: true };
  const sql = compileMatrix(duckDbDialect, spec, {
    kind: 'table',
    cutoffSql: (row) => cutoffSql(duckDbDialect, record.cutoff, row),
  });
  return { sql, names: features.map((f) => f.name) };
}

/** The same five aggregates as a person would write them in DuckDB, in the same column order. */
function handSql(record) {
  const cutoff = `TIMESTAMP '${record.cutoff.at.replace('T', ' ').replace('Z', '')}'`;
  return `SELECT c.customer_id,
      COALESCE(o.n, 0)::DOUBLE AS n, COALESCE(o.total, 0)::DOUBLE AS total, o.mean::DOUBLE AS mean, o.mx::DOUBLE AS mx,
      (epoch(${cutoff}) - epoch(o.last)) / 86400.0 AS since_last
    FROM customers AS c LEFT JOIN (
      SELECT customer_id, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean, MAX(amount) AS mx, MAX(ordered_at) AS last
      FROM orders WHERE ordered_at < ${cutoff} GROUP BY customer_id
    ) AS o USING (customer_id)
    ORDER BY c.customer_id`;
}

/** Whether the two five-aggregate matrices agree, compared by DuckDB (doubles within 1e-9 relative). */
async function sameValues(ours, hand, names) {
  const { openDuckDbEngine } = await import(dist('engine/duckdb/duckdb-engine.js'));
  const engine = await openDuckDbEngine({ threads, memoryLimit });
  try {
    const q = (p) => engine.dialect.quoteString(p);
    const cols = ['n', 'total', 'mean', 'mx', 'since_last'];
    const diff = cols.map(
      (c, i) =>
        `SUM(CASE WHEN (a.${engine.dialect.quoteIdent(names[i])} IS NULL) <> (b.${c} IS NULL) OR abs(a.${engine.dialect.quoteIdent(names[i])} - b.${c}) > 1e-9 * GREATEST(1, abs(b.${c})) THEN 1 ELSE 0 END) AS d${i}`,
    );
    const r = (
      await engine.query(
        `SELECT COUNT(*) AS rows, COUNT(b.customer_id) AS matched, ${diff.join(', ')} FROM read_parquet(${q(ours)}) AS a LEFT JOIN read_parquet(${q(hand)}) AS b USING (customer_id)`,
      )
    ).rows[0];
    const bad = cols.filter((_, i) => Number(r[`d${i}`]) > 0).map((c, i) => `${c}: ${r[`d${i}`]}`);
    return Number(r.rows) === Number(r.matched) && bad.length === 0
      ? `yes (${Number(r.rows).toLocaleString()} rows)`
      : `NO: ${r.rows} rows, ${r.matched} matched; differing ${bad.join(', ')}`;
  } finally {
    await engine.close();
  }
}

/** pandas groupby on the same Parquet, if python3 has pandas and pyarrow. */
function pandas(data, out) {
  const probe = spawnSync('python3', ['-c', 'import pandas, pyarrow'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'skipped (python3 with pandas and pyarrow not installed)';
  const script = `
import time, resource, pandas as pd
t = time.perf_counter()
c = pd.read_parquet(${JSON.stringify(join(data, 'customers.parquet'))}, columns=['customer_id'])
o = pd.read_parquet(${JSON.stringify(join(data, 'orders.parquet'))}, columns=['customer_id', 'ordered_at', 'amount'])
cut = pd.Timestamp(${JSON.stringify(CUTOFF)})
o = o[o.ordered_at < cut]
g = o.groupby('customer_id').agg(n=('amount', 'size'), total=('amount', 'sum'), mean=('amount', 'mean'), mx=('amount', 'max'), last=('ordered_at', 'max'))
m = c.merge(g, on='customer_id', how='left').sort_values('customer_id')
m['n'] = m['n'].fillna(0); m['total'] = m['total'].fillna(0)
m['since_last'] = (cut - m['last']).dt.total_seconds() / 86400
m.drop(columns=['last']).to_parquet(${JSON.stringify(join(out, 'pandas.parquet'))})
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
`;
  const r = spawnSync('python3', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop()}`;
  const [s, rss] = r.stdout.trim().split(/\s+/).map(Number);
  return `${s.toFixed(2)} s  peak RSS ${mb(rss)} MB (reads and filters in pandas; no memory limit)`;
}

/** One measured query in this process: the workspace's own engine, as the matrix action opens it. */
async function child(job) {
  const { openWorkspace } = await import(dist('workspace/open-workspace.js'));
  const { openEngine, sourceTable } = await import(dist('explore/explore-context.js'));
  const { queryToParquet } = await import(dist('features/write-parquet.js'));
  const workspace = await openWorkspace(job.ws, { env: process.env });
  try {
    const found = [];
    for (const name of job.tables) found.push(await sourceTable(workspace, job.source, name));
    const engine = await openEngine(
      workspace,
      found[0].record,
      found.map((f) => f.table),
    );
    try {
      const t = performance.now();
      let bytes;
      if (job.mode === 'ours') {
        bytes = await queryToParquet(engine, job.sql, job.columns, join(workspace.paths.cache, 'bench-tmp'));
      } else {
        const file = join(dirname(job.out), 'hand-copy.parquet');
        await engine.exec(
          `COPY (${job.sql}) TO ${engine.dialect.quoteString(file)} (FORMAT PARQUET, COMPRESSION ZSTD)`,
        );
        bytes = await readFile(file);
      }
      const ms = performance.now() - t;
      await writeFile(job.out, bytes);
      console.log(
        JSON.stringify({ ms, bytes: bytes.byteLength, sha: createHash('sha256').update(bytes).digest('hex') }),
      );
    } finally {
      await engine.close();
    }
  } finally {
    await workspace.close();
  }
}
