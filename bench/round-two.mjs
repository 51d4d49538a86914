#!/usr/bin/env node
// Exploration round two at scale: a customers table (binary target, a planted leak, a
// late-recorded date) and an orders child table, in a DuckDB file; times the profiles (round
// one, for scale) and computeRoundTwo (the `explore.insight` action without the ledger):
// class balance, a 50k-row association sample, the child GROUP BY streamed for fan-out and
// aggregates, drift over both time indexes, leakage, proposals.
// Usage: npm run build && node bench/round-two.mjs [--customers 1000000] [--orders 10000000] [--threads 2] [--trace]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbEngine } from '../dist/engine/duckdb/duckdb-engine.js';
import { profileTable } from '../dist/explore/profile-table.js';
import { computeRoundTwo } from '../dist/explore/round-two/compute-round-two.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const customers = arg('customers', 1_000_000);
const orders = arg('orders', 10_000_000);
const threads = arg('threads', 2);
const trace = process.argv.includes('--trace');
const t0 = performance.now();
const dir = await mkdtemp(join(tmpdir(), 'fathom-bench-round-two-'));
const engine = await openDuckDbEngine({ path: join(dir, 'bench.duckdb'), threads, tempDirectory: join(dir, 'tmp') });
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const time = async (f) => {
  const t = performance.now();
  const out = await f();
  return [(performance.now() - t) / 1000, out];
};
const table = (name) => ({
  name,
  source: 'bench',
  location: name,
  ref: { name },
  fingerprint: 'f',
  rows: null,
  columns: [],
});

try {
  const [genS] = await time(() =>
    engine.exec(`CREATE TABLE customers AS SELECT range AS customer_id,
        ['basic','plus','pro'][1 + (hash(range) % 3)::BIGINT] AS plan,
        18 + (hash(range + 1) % 60)::BIGINT AS age,
        TIMESTAMP '2020-01-01' + (range * 60) * INTERVAL 1 SECOND AS signed_up_at,
        hash(range + 2) % 5 = 0 AS churned
      FROM range(${customers});
      ALTER TABLE customers ADD COLUMN cancellation_reason VARCHAR;
      UPDATE customers SET cancellation_reason = CASE WHEN churned THEN ['price','support','moved'][1 + (hash(customer_id + 3) % 3)::BIGINT] END;
      CREATE TABLE orders AS SELECT range AS order_id, (hash(range + 4) % ${customers})::BIGINT AS customer_id,
        TIMESTAMP '2020-01-01' + (range * 6) * INTERVAL 1 SECOND AS ordered_at,
        (hash(range + 5) % 50000) / 100.0 AS total_amount, ['web','app','store'][1 + (hash(range + 6) % 3)::BIGINT] AS channel
      FROM range(${orders});`),
  );
  const [profileS, profiles] = await time(async () => [
    await profileTable(engine, table('customers')),
    await profileTable(engine, table('orders')),
  ]);
  const facts = {
    metadataVersion: 1,
    target: { source: 'bench', table: 'customers', column: 'churned', kind: 'binary' },
    timeIndexes: [
      { source: 'bench', table: 'customers', column: 'signed_up_at' },
      { source: 'bench', table: 'orders', column: 'ordered_at' },
    ],
    relationships: [
      {
        from: { table: 'orders', columns: ['customer_id'] },
        to: { table: 'customers', columns: ['customer_id'] },
        confidence: 1,
        coverage: 1,
        status: 'confirmed',
      },
    ],
    ignored: [],
  };
  const [r2S, r] = await time(() =>
    computeRoundTwo({
      facts,
      profiles,
      engineFor: async () => engine,
      refFor: (_s, name) => ({ name }),
      log: trace ? (m) => console.error(`[${((performance.now() - t0) / 1000).toFixed(2)} s] ${m}`) : undefined,
    }),
  );
  console.log(
    JSON.stringify(
      {
        customers,
        orders,
        threads,
        generateSeconds: +genS.toFixed(2),
        profileSeconds: +profileS.toFixed(2),
        roundTwoSeconds: +r2S.toFixed(2),
        maxRssMb: rssMb(),
        sampleRows: r.associations.sampleRows,
        leakage: r.leakage.map((l) => `${l.column}:${l.reason}`),
        fanOut: r.relationships[0].fanOut,
        driftWindows: r.drift.map((d) => d.windows.length),
      },
      null,
      1,
    ),
  );
} finally {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
}
