import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openEngine } from '../../engine/open-engine.js';
import { withTempDir } from '../../testing/temp-dir.js';
import type { Engine } from '../../engine/engine.js';
import type { SourceTable } from '../../sources/source.js';
import { profileTable } from '../profile-table.js';
import { computeRoundTwo, type InsightFacts } from './compute-round-two.js';

const tableOf = (name: string): SourceTable => ({
  name,
  source: 's',
  location: name,
  ref: { name },
  fingerprint: 'f',
  rows: null,
  columns: [],
});

/** Round two without a workspace: profiles and facts in, one DuckDB engine for the source. */
async function roundTwoOn(
  engine: Engine,
  tables: readonly string[],
  facts: Omit<InsightFacts, 'metadataVersion' | 'ignored' | 'relationships' | 'timeIndexes'> & Partial<InsightFacts>,
) {
  const profiles = [];
  for (const t of tables) profiles.push(await profileTable(engine, tableOf(t)));
  return computeRoundTwo({
    facts: { metadataVersion: 3, ignored: [], relationships: [], timeIndexes: [], ...facts },
    profiles,
    engineFor: async () => engine,
    refFor: (_s, table) => ({ name: table }),
  });
}

test('a regression target: its distribution, MI ranking (a near-copy leaks, noise does not), child aggregates by MI', async () => {
  const engine = await openEngine({ kind: 'duckdb' });
  try {
    await engine.exec(`CREATE TABLE homes AS SELECT i AS home_id, 50 + (i * 7919) % 200 AS area,
        ((i * 7919) % 200) * 3000.0 + 100000 + (i % 13) * 10 AS price, (i * 7919) % 200 * 3000.0 + 100000 AS price_estimate, (i * 104729) % 17 AS noise
      FROM range(3000) r(i);
      CREATE TABLE visits AS SELECT j AS visit_id, j % 3000 AS home_id, (j % 5) * 1.0 AS minutes FROM range(9000) r(j);`);
    const r = await roundTwoOn(engine, ['homes', 'visits'], {
      target: { source: 's', table: 'homes', column: 'price', kind: 'regression' },
      relationships: [
        {
          from: { table: 'visits', columns: ['home_id'] },
          to: { table: 'homes', columns: ['home_id'] },
          confidence: 1,
          coverage: 1,
          status: 'confirmed',
        },
      ],
      ignored: [{ source: 's', table: 'homes', column: 'area' }],
    });
    assert.equal(r.targetSummary.classes, null);
    assert.ok(r.targetSummary.distribution?.quantiles && r.targetSummary.distribution.histogram!.length > 1);
    assert.equal(r.metadataVersion, 3);
    const by = Object.fromEntries(r.associations.ranked.map((a) => [a.feature, a]));
    assert.equal(by['homes.area'], undefined, 'ignored columns are left out');
    assert.ok(by['homes.price_estimate']!.normalizedMi > 0.9 && by['homes.price_estimate']!.auc === null);
    assert.ok(by['homes.noise']!.normalizedMi < 0.05);
    assert.deepEqual(
      r.leakage.map((l) => [l.column, l.reason]),
      [['price_estimate', 'predicts_target']],
    );
    const visits = r.relationships[0]!;
    assert.deepEqual(
      [visits.fanOut!.mean, visits.fanOut!.max, visits.fanOut!.childless, visits.orphanRows],
      [3, 3, 0, 0],
    );
    assert.ok(visits.aggregates.some((a) => a.feature === 'mean(visits.minutes)'));
  } finally {
    await engine.close();
  }
});

test('a multiclass target lists every class and ranks by MI; an imbalanced binary target gets its note', async () => {
  const engine = await openEngine({ kind: 'duckdb' });
  try {
    await engine.exec(`CREATE TABLE tickets AS SELECT i AS ticket_id, (ARRAY['bug','question','billing'])[1 + i % 3] AS topic,
        (ARRAY['app','web','mail'])[1 + i % 3] AS channel, (i * 31) % 11 AS priority, i % 25 = 0 AS escalated
      FROM range(1500) r(i)`);
    const multi = await roundTwoOn(engine, ['tickets'], {
      target: { source: 's', table: 'tickets', column: 'topic', kind: 'multiclass' },
    });
    assert.deepEqual(
      multi.targetSummary.classes!.map((c) => [c.value, c.count]),
      [
        ['billing', 500],
        ['bug', 500],
        ['question', 500],
      ],
    );
    assert.equal(multi.associations.ranked[0]!.feature, 'tickets.channel');
    assert.equal(multi.associations.ranked[0]!.normalizedMi, 1);
    const binary = await roundTwoOn(engine, ['tickets'], {
      target: { source: 's', table: 'tickets', column: 'escalated', kind: 'binary' },
    });
    assert.equal(binary.targetSummary.positive, 'true');
    assert.ok(
      binary.targetSummary.notes.some((n) => /^imbalanced: the minority class true is 4\.0% of rows/.test(n)),
      binary.targetSummary.notes.join(),
    );
    assert.ok(binary.findings.some((f) => /imbalanced/.test(f)));
  } finally {
    await engine.close();
  }
});

test('child and parent in different sources: fan-out, orphans and aggregates equal the in-engine figures', async () => {
  const one = await openEngine({ kind: 'duckdb' });
  const crm = await openEngine({ kind: 'duckdb' });
  const shop = await openEngine({ kind: 'duckdb' });
  try {
    const customers = `CREATE TABLE customers AS SELECT i AS customer_id, i % 4 = 0 AS churned, 20 + i % 50 AS age FROM range(1200) r(i)`;
    // Skewed fan-out, some customers without orders, and orphan orders (customer_id >= 1200).
    const orders = `CREATE TABLE orders AS SELECT j AS order_id, CASE WHEN j % 97 = 0 THEN 5000 + j ELSE (j * j) % 1100 END AS customer_id,
        (j % 13) * 2.5 AS amount, (ARRAY['web','app'])[1 + j % 2] AS channel FROM range(6000) r(j)`;
    await one.exec(`${customers}; ${orders}`);
    await crm.exec(customers);
    await shop.exec(orders);
    const profileOf = async (engine: Engine, source: string, name: string) => ({
      ...(await profileTable(engine, { ...tableOf(name), source })),
      source,
    });
    const rel = (fromSource: string, toSource: string) => ({
      from: { table: 'orders', columns: ['customer_id'] },
      to: { table: 'customers', columns: ['customer_id'] },
      confidence: 1,
      coverage: 1,
      status: 'confirmed' as const,
      fromSource,
      toSource,
    });
    const same = await computeRoundTwo({
      facts: {
        metadataVersion: 1,
        target: { source: 's', table: 'customers', column: 'churned', kind: 'binary' },
        timeIndexes: [],
        ignored: [],
        relationships: [rel('s', 's')],
      },
      profiles: [await profileOf(one, 's', 'customers'), await profileOf(one, 's', 'orders')],
      engineFor: async () => one,
      refFor: (_s, name) => ({ name }),
    });
    const split = await computeRoundTwo({
      facts: {
        metadataVersion: 1,
        target: { source: 'crm', table: 'customers', column: 'churned', kind: 'binary' },
        timeIndexes: [],
        ignored: [],
        relationships: [rel('shop', 'crm')],
      },
      profiles: [await profileOf(crm, 'crm', 'customers'), await profileOf(shop, 'shop', 'orders')],
      engineFor: async (source) => (source === 'crm' ? crm : shop),
      refFor: (_s, name) => ({ name }),
    });
    const a = same.relationships[0]!;
    const b = split.relationships[0]!;
    assert.ok(a.fanOut!.childless > 0 && a.orphanRows > 0 && a.fanOut!.p95 > a.fanOut!.p50);
    assert.deepEqual(b.fanOut, a.fanOut);
    assert.deepEqual([b.childRows, b.orphanRows, b.orphanRate], [a.childRows, a.orphanRows, a.orphanRate]);
    assert.deepEqual(b.aggregates, a.aggregates);
    assert.deepEqual(a.aggregates.map((x) => x.feature).sort(), [
      'count(orders)',
      'distinct(orders.channel)',
      'mean(orders.amount)',
      'sum(orders.amount)',
    ]);
  } finally {
    for (const e of [one, crm, shop]) await e.close();
  }
});

test('a SQLite source runs round two with its registered quantile and the same figures as DuckDB', async () => {
  await withTempDir('round-two-sqlite', async (dir) => {
    const lite = await openEngine({ kind: 'sqlite', path: join(dir, 'crm.sqlite') });
    const duck = await openEngine({ kind: 'duckdb' });
    try {
      const rows = Array.from(
        { length: 1200 },
        (_, i) =>
          `(${i}, ${i % 5 === 0 ? 1 : 0}, '${['a', 'b', 'c'][i % 3]}', '${new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString()}')`,
      );
      const orders = Array.from({ length: 3000 }, (_, j) => `(${j}, ${(j * 7) % 1300}, ${(j % 11) * 1.5})`);
      for (const [e, ts] of [
        [lite, 'TIMESTAMP'],
        [duck, 'TIMESTAMP'],
      ] as const) {
        await e.exec(`CREATE TABLE customers (customer_id INTEGER, churned BOOLEAN, plan TEXT, joined_at ${ts});
          INSERT INTO customers VALUES ${rows.join(', ')};
          CREATE TABLE orders (order_id INTEGER, customer_id INTEGER, amount DOUBLE PRECISION);
          INSERT INTO orders VALUES ${orders.join(', ')};`);
      }
      const run = async (engine: Engine) => {
        const profiles = [
          await profileTable(engine, tableOf('customers')),
          await profileTable(engine, tableOf('orders')),
        ];
        return computeRoundTwo({
          facts: {
            metadataVersion: 1,
            ignored: [],
            target: { source: 's', table: 'customers', column: 'churned', kind: 'binary' },
            timeIndexes: [{ source: 's', table: 'customers', column: 'joined_at' }],
            relationships: [
              {
                from: { table: 'orders', columns: ['customer_id'] },
                to: { table: 'customers', columns: ['customer_id'] },
                confidence: 1,
                coverage: 1,
                status: 'confirmed',
              },
            ],
          },
          profiles,
          engineFor: async () => engine,
          refFor: (_s, name) => ({ name }),
        });
      };
      const [a, b] = [await run(lite), await run(duck)];
      assert.deepEqual(
        a.targetSummary.classes!.map((c) => c.count),
        b.targetSummary.classes!.map((c) => c.count),
      );
      assert.deepEqual(a.relationships[0]!.fanOut, b.relationships[0]!.fanOut);
      assert.equal(a.relationships[0]!.orphanRows, b.relationships[0]!.orphanRows);
      assert.deepEqual(
        a.drift[0]!.windows.map((w) => [w.rows, w.targetRate]),
        b.drift[0]!.windows.map((w) => [w.rows, w.targetRate]),
      );
    } finally {
      await lite.close();
      await duck.close();
    }
  });
});
