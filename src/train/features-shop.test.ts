import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../testing/repo-path.js';
import { runFathom, runFathomOk } from '../testing/run-cli.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { readColumns } from '../engine/read-columns.js';
import { valueAt } from '../features/feature-plan.js';
import type { ModelCard } from './model-card.js';
import type { FeatureSetRecord } from '../features/feature-set-record.js';
import { withMatrix } from '../features/with-matrix.js';
import { scoreEntities } from '../features/scoring-plan.js';

// The demo, explored and reviewed: churn target confirmed, the planted leak ignored, as a
// person would after round two flags it. Then the feature set, once, for every test here.
let dir = '';
let record: FeatureSetRecord;
const env = { FATHOM_USER: 'tester' };
const fathom = (...args: string[]) => runFathomOk(args, { cwd: dir, env });
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fathom-features-'));
  await cp(repoPath('examples', 'shop'), join(dir, 'shop'), {
    recursive: true,
    filter: (src) => !src.endsWith('.mjs'),
  });
  await fathom('explore', 'shop', '-q');
  await fathom('review', '--yes', '-q');
  await fathom('tag', 'customers.cancellation_reason', '--ignore', '-q');
  record = (await fathom('features', '--json')).json();
});
after(async () => {
  if (dir && !process.env.FATHOM_KEEP_TMP) await rm(dir, { recursive: true, force: true });
});

test('the demo feature set aggregates every child table under a snapshot cutoff, with readable names and SQL', () => {
  assert.equal(record.target.table, 'customers');
  // signed_up_at precedes all child rows: it is a creation time, so the cutoff is the snapshot.
  assert.deepEqual(record.cutoff, { kind: 'fixed', at: '2025-06-30T00:00:00.000Z' });
  assert.match(record.warnings.join('\n'), /snapshot time 2025-06-30/);
  const names = record.features.map((f) => f.name);
  for (const expected of [
    'COUNT(orders WHERE orders.ordered_at < cutoff)',
    'MEAN(orders.total_amount WHERE orders.ordered_at < cutoff)',
    'TIME_SINCE_LAST(orders.ordered_at WHERE orders.ordered_at < cutoff)',
    'COUNT(support_tickets WHERE support_tickets.opened_at < cutoff)',
    'MEAN(orders.COUNT(order_items) WHERE orders.ordered_at < cutoff)',
    'DAY_OF_WEEK(signed_up_at)',
  ])
    assert.ok(names.includes(expected), `missing ${expected}`);
  assert.ok(!names.includes('cancellation_reason'), 'an ignored column is no feature');
  assert.ok(!names.some((n) => /full_name|email|phone|postal_code/.test(n)), 'personal data is no feature');
  for (const f of record.features) assert.match(f.sql, /^WITH r0 AS \(SELECT ROW_NUMBER\(\)/);
  // Each feature's own SQL computes only it: MODE of channel never joins support_tickets.
  const mode = record.features.find((f) => f.name === 'MODE(orders.channel WHERE orders.ordered_at < cutoff)')!;
  assert.doesNotMatch(mode.sql, /support_tickets/);
  assert.equal(record.matrix.rows, 3000);
  assert.ok(record.selection.kept.length > 10 && record.selection.kept.length <= 60);
  assert.equal(record.selection.kept.length + record.selection.dropped.length, record.features.length);
  // The strongest churn signal the generator planted: recency of the last order.
  assert.equal(
    record.selection.ranking[0]!.name,
    'TIME_SINCE_LAST(orders.ordered_at WHERE orders.ordered_at < cutoff)',
  );
});

test('a second run reuses the matrix, and the ledger entry alone rebuilds it byte for byte', async () => {
  const again: FeatureSetRecord & { reused: boolean } = (await fathom('features', '--json')).json();
  assert.equal(again.reused, true);
  assert.equal(again.matrix.object, record.matrix.object);
  const log = (await fathom('log', '--kind', 'features.matrix', '--status', 'succeeded', '--json')).json();
  const entries = (Array.isArray(log) ? log : log.entries) as Array<{ seq: number; output: string }>;
  const entry = entries.find((e) => e.output === record.matrix.object)!;
  const replay = (await fathom('replay', String(entry.seq), '--json')).json();
  assert.equal(replay.identical, true);
  assert.equal(replay.replayed, record.matrix.object);
  // Refusals name what was asked and how to find a replayable entry.
  const reviewLog = (await fathom('log', '--kind', 'metadata.review', '--json')).json();
  const reviewSeq = ((Array.isArray(reviewLog) ? reviewLog : reviewLog.entries) as Array<{ seq: number }>)[0]!.seq;
  for (const [arg, message] of [
    ['999999', /No ledger entry 999999/],
    ['nothex', /neither an entry number nor an action fingerprint/],
    [String(reviewSeq), /not a succeeded action/],
  ] as const) {
    const refused = await runFathom(['replay', arg], { cwd: dir, env });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, message);
    assert.match(refused.stderr, /fathom log/);
  }
  const status = (await fathom('status', '--json')).json();
  assert.deepEqual(
    [status.features.synthesized, status.features.kept, status.features.stale],
    [record.features.length, record.selection.kept.length, false],
  );
});

test('features from child tables beat the target table alone, and the scoring plan recomputes the matrix', async () => {
  const budget = ['--budget-units', '30000000', '--models', 'gbdt', '--seed', '3', '--json'];
  const alone: { card: ModelCard } = (await fathom('train', '--no-features', '--name', 'alone', ...budget)).json();
  const related: { card: ModelCard } = (await fathom('train', '--name', 'related', ...budget)).json();
  const a = alone.card.metrics.auc!.mean;
  const b = related.card.metrics.auc!.mean;
  process.stderr.write(
    `demo churn AUC (time split, 5 folds): target table alone ${a.toFixed(4)}, with child-table features ${b.toFixed(4)}\n`,
  );
  assert.equal(alone.card.featureSet, undefined);
  assert.ok(related.card.featureSet && related.card.scoring, 'trained on the matrix, with a scoring plan');
  assert.ok(b > a + 0.1, `AUC with related tables ${b} should clearly beat ${a}`);

  // Scoring 25 customers (one unknown to the customers table) at the training cutoff gives the matrix's values.
  const plan = related.card.scoring!;
  const ws = await openWorkspace(dir, { env });
  const ids = [
    3, 17, 42, 99, 100, 250, 777, 1000, 1234, 1500, 1999, 2000, 2001, 2345, 2500, 2600, 2700, 2800, 2900, 2999, 3000, 5,
    6, 7, 3003,
  ];
  const scored = await scoreEntities(
    ws,
    plan,
    ids.map((id) => ({ key: [id], cutoff: record.cutoff.kind === 'fixed' ? record.cutoff.at : null })),
  );
  assert.equal(scored.rows, ids.length);
  const names = scored.columns.map((c) => c.name);
  assert.deepEqual(names, [...plan.key, ...plan.features]);
  const matrix = await withMatrix(await ws.objects(), record.matrix.object, join(dir, 'tmp'), (engine, rel) =>
    readColumns(
      engine,
      `SELECT ${names.map((n) => engine.dialect.quoteIdent(n)).join(', ')} FROM ${rel} WHERE customer_id IN (${ids.join(', ')}) ORDER BY customer_id`,
    ),
  );
  const byId = new Map(Array.from({ length: matrix.rows }, (_, r) => [Number(valueAt(matrix.columns[0]!, r)), r]));
  let compared = 0;
  for (let r = 0; r < scored.rows; r++) {
    const id = Number(valueAt(scored.columns[0]!, r));
    assert.equal(id, ids[r]);
    const m = byId.get(id);
    if (m === undefined) {
      // 3003 is an orphan: orders point at it, the customers table does not hold it.
      assert.equal(id, 3003);
      const count = names.indexOf('COUNT(orders WHERE orders.ordered_at < cutoff)');
      if (count >= 0)
        assert.ok(Number(valueAt(scored.columns[count]!, r)) > 0, 'an orphan still gets its child-table features');
      continue;
    }
    for (let c = 1; c < names.length; c++) {
      const got = valueAt(scored.columns[c]!, r);
      const want = valueAt(matrix.columns[c]!, m);
      if (typeof want === 'number' && typeof got === 'number')
        assert.ok(
          Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)),
          `${names[c]} of customer ${id}: ${got} vs ${want}`,
        );
      else assert.equal(String(got), String(want), `${names[c]} of customer ${id}`);
      compared++;
    }
  }
  assert.ok(compared > 100);
  await ws.close();
});

test('a tag change that touches a feature or a data change makes a new matrix; the unchanged project reuses it', async () => {
  // No feature reads products.category: the matrix's query is the same, so the matrix stays;
  // selection runs again, under the new metadata version.
  assert.ok(!record.features.some((f) => f.name.includes('products.category')));
  await fathom('tag', 'products.category', '--ignore', '-q');
  const untouched: FeatureSetRecord & { reused: boolean } = (await fathom('features', '--json')).json();
  assert.equal(untouched.reused, true, 'the same query on the same data');
  assert.ok(untouched.metadataVersion > record.metadataVersion);
  await fathom('tag', 'orders.channel', '--ignore', '-q');
  const retagged: FeatureSetRecord & { reused: boolean } = (await fathom('features', '--json')).json();
  assert.equal(retagged.reused, false, 'orders.channel fed features: a new query');
  assert.ok(!retagged.features.some((f) => f.name.includes('orders.channel')));
  const count = 'COUNT(support_tickets WHERE support_tickets.opened_at < cutoff)';
  const countOf = async (r: FeatureSetRecord, id: number) => {
    const ws = await openWorkspace(dir, { env });
    try {
      const m = await withMatrix(await ws.objects(), r.matrix.object, join(dir, 'tmp'), (engine, rel) =>
        readColumns(engine, `SELECT ${engine.dialect.quoteIdent(count)} FROM ${rel} WHERE customer_id = ${id}`),
      );
      return Number(valueAt(m.columns[0]!, 0));
    } finally {
      await ws.close();
    }
  };
  const before = await countOf(retagged, 1);
  await appendFile(join(dir, 'shop', 'support_tickets.csv'), '999999,1,2025-01-02 03:04:05,email,2\n');
  const edited: FeatureSetRecord & { reused: boolean } = (await fathom('features', '--json')).json();
  assert.equal(edited.reused, false, 'the edited file has a new fingerprint');
  assert.equal(await countOf(edited, 1), before + 1);
  assert.equal(((await fathom('features', '--json')).json() as { reused: boolean }).reused, true);
});
