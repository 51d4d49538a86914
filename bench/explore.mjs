#!/usr/bin/env node
// Profiling cost against DuckDB's own SUMMARIZE, on the same table, machine and run.
// Generates a rows x 20 mixed table (integers, floats with nulls, categories, high-cardinality
// strings, dates, timestamps, booleans) in a DuckDB file, then times:
//   - SUMMARIZE (min, max, approx distinct, mean, std, approximate quartiles, null share)
//   - Fathom's profileTable (the `explore.profile` action): one aggregate pass, a 100k-row
//     uniform sample for quantiles/histograms/top values/patterns/associations, key checks,
//     duplicate-row estimate, semantic types, PII and alerts.
// Usage: npm run build && node bench/explore.mjs [--rows 10000000] [--threads 2] [--trace]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbEngine } from '../dist/engine/duckdb/duckdb-engine.js';
import { profileTable } from '../dist/explore/profile-table.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const rows = arg('rows', 10_000_000);
const threads = arg('threads', 2);
const dir = await mkdtemp(join(tmpdir(), 'fathom-bench-explore-'));
const engine = await openDuckDbEngine({ path: join(dir, 'bench.duckdb'), threads, tempDirectory: join(dir, 'tmp') });
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const time = async (f) => {
  const t = performance.now();
  const out = await f();
  return [(performance.now() - t) / 1000, out];
};

try {
  const [genS] = await time(() =>
    engine.exec(`CREATE TABLE wide AS SELECT
      range AS id,
      (range * 7919) % 1000003 AS customer_id,
      (hash(range) % 100)::BIGINT AS small_int,
      CASE WHEN range % 10 = 0 THEN NULL ELSE (hash(range + 1) % 100000) / 100.0 END AS amount,
      (hash(range + 2) % 1000000) / 1000.0 AS score,
      ln(1 + hash(range + 3) % 100000) AS skewed,
      ['red','green','blue','amber','violet'][1 + (hash(range + 4) % 5)::BIGINT] AS colour,
      'C' || lpad((hash(range + 5) % 50000)::VARCHAR, 6, '0') AS code,
      'user' || (range % 2000000)::VARCHAR || '@example.com' AS email,
      DATE '2020-01-01' + (hash(range + 6) % 1500)::INTEGER AS day,
      TIMESTAMP '2020-01-01' + to_seconds((hash(range + 7) % 100000000)::BIGINT) AS ts,
      hash(range + 8) % 2 = 0 AS flag,
      CASE WHEN range % 3 = 0 THEN NULL ELSE ['a','b','c'][1 + (hash(range + 9) % 3)::BIGINT] END AS maybe,
      (hash(range + 10) % 10)::BIGINT AS rating,
      (hash(range + 11) % 1000)::BIGINT - 500 AS delta,
      md5(range::VARCHAR) AS token,
      range % 97 AS bucket,
      (hash(range + 12) % 10000) / 7.0 AS ratio,
      CASE WHEN hash(range + 13) % 100 < 5 THEN 'rare' ELSE 'common' END AS status,
      range % 1000 + 0.5 AS half
    FROM range(${rows})`),
  );
  if (process.argv.includes('--trace')) {
    const query = engine.query.bind(engine);
    engine.query = async (sql, params) => {
      const t = performance.now();
      const out = await query(sql, params);
      console.log(`  [${((performance.now() - t) / 1000).toFixed(2)} s] ${sql.replace(/\s+/g, ' ').slice(0, 100)}`);
      return out;
    };
  }
  const table = {
    name: 'wide',
    source: 'bench',
    location: 'wide',
    ref: { name: 'wide' },
    fingerprint: 'x',
    rows,
    columns: [],
  };
  // Warm the file cache once for both contenders.
  await engine.query('SELECT COUNT(*) FROM wide');
  const [summarizeS] = await time(() => engine.query('SUMMARIZE wide'));
  const rssBefore = rssMb();
  const [profileS, profile] = await time(() => profileTable(engine, table));
  const [summarize2S] = await time(() => engine.query('SUMMARIZE wide'));
  const summarize = Math.min(summarizeS, summarize2S);
  console.log(`explore bench: ${rows.toLocaleString()} rows x 20 columns, DuckDB threads=${threads}`);
  console.log(`  generate table            ${genS.toFixed(1)} s`);
  console.log(
    `  DuckDB SUMMARIZE          ${summarize.toFixed(2)} s  (best of 2: ${summarizeS.toFixed(2)}, ${summarize2S.toFixed(2)})`,
  );
  console.log(
    `  Fathom profileTable       ${profileS.toFixed(2)} s  ${Math.round(rows / profileS).toLocaleString()} rows/s`,
  );
  console.log(`  ratio Fathom / SUMMARIZE  ${(profileS / summarize).toFixed(2)}x  (target <= 3x)`);
  console.log(`  peak RSS                  ${rssMb()} MB (before profiling ${rssBefore} MB; DuckDB memory included)`);
  console.log(`  sampling                  ${profile.sampling}`);
  console.log(
    `  key                       ${profile.primaryKey?.columns.join(', ') ?? '-'}; time index ${profile.timeIndex?.column ?? '-'}; PII ${profile.columns
      .filter((c) => c.pii)
      .map((c) => c.name)
      .join(', ')}`,
  );
} finally {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
}
