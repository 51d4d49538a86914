#!/usr/bin/env node
// Ledger figures (issue 8), printed, never asserted:
//  1. appends/s with 1, 4 and 8 writer processes, on SQLite and on Postgres (the real append
//     path: one transaction each, serialised on the chain head);
//  2. `status` latency (head, newest page, sources, queue counts, workers) with N log entries;
//  3. full verify (chain + projection) of N entries.
// The N-entry ledgers are filled by writing a valid chain in bulk (sealEntry, big transactions),
// because a million one-by-one appends would take the bench's whole budget; status and verify
// then read exactly what appends would have left.
// Usage: npm run build && node bench/ledger.js [--entries 1000000] [--appends 2000] [--pg URL] [--only sqlite|postgres]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sealEntry, GENESIS_HASH } from '../dist/ledger/entry-hash.js';
import { workspaceStatus } from '../dist/ledger/workspace-status.js';
import { queueStatus } from '../dist/orchestrate/queue-status.js';
import { openStore } from './ledger-stores.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const ENTRIES = Number(arg('entries', 1_000_000));
const APPENDS = Number(arg('appends', 2000));
const PG_URL = arg('pg', process.env.FATHOM_TEST_PG_URL);
const ONLY = arg('only', undefined);
const WRITER = fileURLToPath(new URL('./ledger-writer.js', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (m) => process.stderr.write(`${m}\n`);

async function appendRate(spec, writers) {
  const per = Math.ceil(APPENDS / writers);
  const children = Array.from({ length: writers }, (_, w) =>
    fork(WRITER, [JSON.stringify(spec), `w${w}`, String(per)], { stdio: 'inherit' }),
  );
  await Promise.all(children.map((c) => once(c, 'message')));
  const t0 = performance.now();
  for (const c of children) c.send('go');
  await Promise.all(children.map((c) => once(c, 'message')));
  const s = (performance.now() - t0) / 1000;
  await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : undefined)));
  return (per * writers) / s;
}

/** Rows of a valid chain, in pages: what N appends would have written. */
function* chain(n, page) {
  let prev = GENESIS_HASH;
  const counts = {};
  let rows = [];
  for (let seq = 1; seq <= n; seq++) {
    const status = seq % 3 === 0 ? 'started' : 'succeeded';
    const input = {
      kind: seq % 10 === 0 ? 'explore.profile' : 'bench.noop',
      status,
      fingerprint: seq.toString(16).padStart(64, '0'),
      params: { seq, table: `t${seq % 50}` },
      workerId: 'bench',
    };
    const { entry, body } = sealEntry(input, seq, new Date(1_700_000_000_000 + seq).toISOString(), prev);
    rows.push({ entry, body });
    counts[status] = (counts[status] ?? 0) + 1;
    prev = entry.hash;
    if (rows.length === page || seq === n) {
      yield {
        rows,
        head: { seq, hash: prev, counts: JSON.stringify(Object.fromEntries(Object.entries(counts).sort())) },
      };
      rows = [];
    }
  }
}

async function fillSqlite(path, n) {
  const db = new Database(path);
  const insert = db.prepare(
    `INSERT INTO log (seq, at, kind, status, fingerprint, worker_id, metadata_version, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const head = db.prepare('UPDATE head SET seq = ?, hash = ?, counts = ? WHERE id = 1');
  for (const { rows, head: h } of chain(n, 50_000)) {
    db.transaction(() => {
      for (const { entry: e, body } of rows)
        insert.run(
          e.seq,
          e.at,
          e.kind,
          e.status,
          e.fingerprint,
          e.workerId,
          e.metadataVersion,
          body,
          e.prevHash,
          e.hash,
        );
      head.run(h.seq, h.hash, h.counts);
    })();
  }
  db.close();
}

async function fillPostgres(spec, n) {
  const client = new pg.Client({ connectionString: spec.url, options: `-c search_path=${spec.schema}` });
  await client.connect();
  for (const { rows, head: h } of chain(n, 20_000)) {
    const col = (f) => rows.map(f);
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO log (seq, at, kind, status, fingerprint, worker_id, metadata_version, body, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[])`,
      [
        col((r) => r.entry.seq),
        col((r) => r.entry.at),
        col((r) => r.entry.kind),
        col((r) => r.entry.status),
        col((r) => r.entry.fingerprint),
        col((r) => r.entry.workerId),
        col(() => null),
        col((r) => r.body),
        col((r) => r.entry.prevHash),
        col((r) => r.entry.hash),
      ],
    );
    await client.query('UPDATE head SET seq = $1, hash = $2, counts = $3 WHERE id = 1', [h.seq, h.hash, h.counts]);
    await client.query('COMMIT');
  }
  await client.query('ANALYZE');
  await client.end();
}

async function statusAndVerify(spec) {
  const store = await openStore(spec);
  const times = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await Promise.all([
      workspaceStatus(store, { project: 'bench', root: '/bench' }),
      queueStatus(store),
      store.checkHead(),
    ]);
    times.push(performance.now() - t);
  }
  const t1 = performance.now();
  const report = await store.verify();
  const verifyS = (performance.now() - t1) / 1000;
  await store.close();
  return { statusMs: median(times), verifyS, ok: report.ok, entries: report.entries };
}

async function dropSchema(url, schema) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}

const stores = [];
if (ONLY !== 'postgres') stores.push('sqlite');
if (ONLY !== 'sqlite') {
  if (PG_URL) stores.push('postgres');
  else log('no Postgres: pass --pg URL or set FATHOM_TEST_PG_URL (scripts/pg-test-server.sh start)');
}
const dir = await mkdtemp(join(tmpdir(), 'fathom-bench-ledger-'));
const lines = [
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); ${APPENDS} appends per rate, ${ENTRIES} entries for status/verify`,
];
try {
  for (const kind of stores) {
    let n = 0;
    const fresh = async () => {
      n += 1;
      if (kind === 'sqlite') return { kind, path: join(dir, `ledger-${n}.db`) };
      const spec = { kind, url: PG_URL, schema: `fathom_bench_${process.pid}_${n}` };
      await dropSchema(PG_URL, spec.schema);
      return spec;
    };
    for (const writers of [1, 4, 8]) {
      const spec = await fresh();
      await (await openStore(spec)).close(); // migrate before the clock starts
      const rate = await appendRate(spec, writers);
      lines.push(
        `${kind.padEnd(8)} append, ${writers} writer process${writers > 1 ? 'es' : ''}: ${rate.toFixed(0).padStart(6)} entries/s`,
      );
      log(lines[lines.length - 1]);
      if (kind === 'postgres') await dropSchema(PG_URL, spec.schema);
    }
    const spec = await fresh();
    await (await openStore(spec)).close();
    const t0 = performance.now();
    if (kind === 'sqlite') await fillSqlite(spec.path, ENTRIES);
    else await fillPostgres(spec, ENTRIES);
    log(`${kind}: wrote ${ENTRIES} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const r = await statusAndVerify(spec);
    lines.push(
      `${kind.padEnd(8)} status (head + newest page + sources + queue + workers + checkHead) at ${r.entries} entries: ${r.statusMs.toFixed(2)} ms median`,
    );
    lines.push(
      `${kind.padEnd(8)} full verify of ${r.entries} entries: ${r.verifyS.toFixed(1)} s (${Math.round(r.entries / r.verifyS)} entries/s), ok=${r.ok}`,
    );
    log(lines.slice(-2).join('\n'));
    if (kind === 'postgres') await dropSchema(PG_URL, spec.schema);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(lines.join('\n'));
