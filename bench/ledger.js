#!/usr/bin/env node
// Ledger figures: append rate (one writer), status (head) latency as the log grows, verify time.
// Usage: npm run build && node bench/ledger.js [--entries 200000]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLedger } from '../dist/ledger/sqlite/sqlite-ledger-store.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const entries = arg('entries', 200_000);
const dir = await mkdtemp(join(tmpdir(), 'fathom-bench-ledger-'));
const ledger = await openSqliteLedger(join(dir, 'ledger.db'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function statusMs() {
  const times = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await ledger.head();
    times.push(performance.now() - t);
  }
  return median(times);
}

const statusAtStart = await statusMs();
const t0 = performance.now();
for (let i = 0; i < entries; i++) {
  await ledger.append({
    kind: i % 10 === 0 ? 'explore.profile' : 'bench.noop',
    status: i % 3 === 0 ? 'started' : 'succeeded',
    fingerprint: i.toString(16).padStart(64, '0'),
    params: { i, table: `t${i % 50}` },
    inputs: [],
    workerId: 'bench',
    patches: i % 5 === 0 ? [{ collection: 'bench', key: `k${i % 1000}`, value: { i } }] : [],
  });
  if (i > 0 && i % 50_000 === 0) process.stderr.write(`appended ${i}\n`);
}
const appendS = (performance.now() - t0) / 1000;
const statusAtEnd = await statusMs();
const t1 = performance.now();
const report = await ledger.verify();
const verifyS = (performance.now() - t1) / 1000;
await ledger.close();
await rm(dir, { recursive: true, force: true });
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`entries                 ${entries}`);
console.log(`append (1 writer)       ${(entries / appendS).toFixed(0)} entries/s (${((appendS / entries) * 1e6).toFixed(0)} µs each)`);
console.log(`status head() median    ${statusAtStart.toFixed(3)} ms empty, ${statusAtEnd.toFixed(3)} ms at ${entries} entries`);
console.log(`verify (chain + proj.)  ${verifyS.toFixed(2)} s, ok=${report.ok}`);
console.log(`peak RSS                ${rss.toFixed(0)} MiB`);
