import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { repoPath } from '../../testing/repo-path.js';
import { withTempDir } from '../../testing/temp-dir.js';
import { runFathom } from '../../testing/run-cli.js';
import { openWorkspace } from '../../workspace/open-workspace.js';
import { openEngine } from '../../engine/open-engine.js';
import type { Catalog } from '../../catalog/catalog.js';
import { factsFromCatalog, plannedExplore, runRoundTwo } from './round-two-kit.fixture.js';
import { planInsight } from './insight-kind.js';

const SHOP = repoPath('examples', 'shop');

test(
  'round two on the shop demo: the planted leak is found, balance and fan-out match SQL, proposals follow the relationships',
  { timeout: 180_000 },
  async () => {
    await withTempDir('round-two-shop', async (dir) => {
      await cp(SHOP, join(dir, 'shop'), { recursive: true, filter: (src) => !src.endsWith('.mjs') });
      assert.equal((await runFathom(['explore', 'shop', '-q'], { cwd: dir })).code, 0);
      const catalog = (await runFathom(['catalog', '--json'], { cwd: dir })).json() as Catalog;
      const ws = await openWorkspace(dir);
      try {
        const facts = factsFromCatalog(catalog, { table: 'customers', column: 'churned', kind: 'binary' });
        const { result: r } = await runRoundTwo(ws, facts);

        // Leakage: the planted leak, and not the honest columns.
        const leak = r.leakage.find((l) => l.column === 'cancellation_reason');
        assert.ok(leak, `cancellation_reason is a suspect: ${JSON.stringify(r.leakage)}`);
        assert.equal(leak.reason, 'predicts_target');
        assert.ok(leak.confidence >= 0.9);
        assert.match(leak.evidence.join(' '), /AUC 1\.000/);
        for (const honest of ['plan', 'age', 'country', 'customer_id', 'signed_up_at'])
          assert.ok(!r.leakage.some((l) => l.column === honest), `${honest} is not a suspect`);
        assert.ok(
          r.alerts.some(
            (a) => a.table === 'customers' && a.column === 'cancellation_reason' && a.alert.kind === 'leakage_suspect',
          ),
        );
        const plan = r.associations.ranked.find((a) => a.feature === 'customers.plan')!;
        assert.ok(plan.auc! > 0.5 && plan.auc! < 0.8, `plan carries some signal, honestly: ${plan.auc}`);
        const id = r.associations.ranked.find((a) => a.feature === 'customers.email')!;
        assert.ok(id.auc! < 0.6 && id.normalizedMi < 0.05, `a unique email memorises nothing: ${JSON.stringify(id)}`);

        // Independent SQL on the CSV files.
        const duck = await openEngine({ kind: 'duckdb' });
        try {
          const csv = (name: string) => `read_csv('${join(SHOP, `${name}.csv`).replace(/'/g, "''")}')`;
          const balance = (
            await duck.query(`SELECT CAST(churned AS VARCHAR) AS v, COUNT(*) AS n FROM ${csv('customers')} GROUP BY 1`)
          ).rows;
          const expected = Object.fromEntries(balance.map((b) => [String(b.v), Number(b.n)]));
          assert.deepEqual(Object.fromEntries(r.targetSummary.classes!.map((c) => [c.value, c.count])), expected);
          assert.equal(r.targetSummary.positive, 'true');
          const fan = (
            await duck.query(`WITH c AS (SELECT customer_id, COUNT(*) AS n FROM ${csv('orders')} GROUP BY 1)
            SELECT COUNT(*) AS parents, AVG(COALESCE(c.n, 0)) AS mean, MAX(c.n) AS mx, SUM(CASE WHEN c.n IS NULL THEN 1 ELSE 0 END) AS childless,
              (SELECT COUNT(*) FROM ${csv('orders')} o WHERE o.customer_id NOT IN (SELECT customer_id FROM ${csv('customers')})) AS orphans
            FROM ${csv('customers')} p LEFT JOIN c ON c.customer_id = p.customer_id`)
          ).rows[0]!;
          const orders = r.relationships.find((x) => x.from.table === 'orders' && x.to.table === 'customers')!;
          assert.equal(orders.fanOut!.parents, Number(fan.parents));
          assert.equal(orders.fanOut!.max, Number(fan.mx));
          assert.equal(orders.fanOut!.childless, Number(fan.childless));
          assert.ok(Math.abs(orders.fanOut!.mean - Number(fan.mean)) < 1e-3, `${orders.fanOut!.mean} vs ${fan.mean}`);
          assert.equal(orders.orphanRows, Number(fan.orphans));
          assert.ok(orders.orphanRows > 0, 'the demo plants orphan orders');
          assert.ok(orders.aggregates.some((a) => a.feature === 'count(orders)'));
        } finally {
          await duck.close();
        }

        // Drift ran over every time index; proposals come from the relationships and time indexes.
        assert.deepEqual(r.drift.map((d) => d.table).sort(), ['customers', 'orders', 'returns', 'support_tickets']);
        const customersDrift = r.drift.find((d) => d.table === 'customers')!;
        assert.ok(customersDrift.windows.every((w) => w.targetRate !== null));
        const proposals = r.proposals.map((p) => p.description);
        for (const want of [
          'days since customers.signed_up_at',
          'count of orders per customer in the last 90 days',
          'mean orders.total_amount per customer',
        ]) {
          assert.ok(proposals.includes(want), `${want} in ${proposals.join(' | ')}`);
        }
        assert.ok(
          r.findings.some((f) => /^customers\.cancellation_reason predicts the target almost perfectly/.test(f)),
          r.findings.join('\n'),
        );

        // Unchanged facts reuse the result; ignoring the leak is a new fact and a new run without it.
        const again = await runRoundTwo(ws, facts);
        assert.equal(again.reused, true);
        const ignored = await runRoundTwo(ws, {
          ...facts,
          metadataVersion: 2,
          ignored: [{ source: facts.target!.source, table: 'customers', column: 'cancellation_reason' }],
        });
        assert.notEqual(ignored.action.fingerprint, again.action.fingerprint);
        assert.equal(ignored.action.metadataVersion, 2);
        assert.equal(ignored.reused, false);
        assert.ok(!ignored.result.leakage.some((l) => l.column === 'cancellation_reason'));
        assert.ok(!ignored.result.associations.ranked.some((a) => a.column === 'cancellation_reason'));

        // A worker process loads the kind from the built-in list and runs it there.
        const onWorker = await runRoundTwo(ws, { ...facts, metadataVersion: 3 }, 1);
        assert.match(String(onWorker.workerId), /\/w1$/);
        assert.deepEqual(
          onWorker.result.leakage.map((l) => l.column),
          r.leakage.map((l) => l.column),
        );

        // The projection of round two replays from the ledger like every other.
        const verify = await runFathom(['verify'], { cwd: dir });
        assert.equal(verify.code, 0, verify.stderr);

        // No confirmed target: nothing to plan.
        const { profiles, relate } = await plannedExplore(ws);
        assert.equal(planInsight({ ...facts, target: null }, profiles, relate), null);
      } finally {
        await ws.close();
      }
    });
  },
);
