import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoPath } from '../testing/repo-path.js';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathom } from '../testing/run-cli.js';
import type { Catalog } from '../catalog/catalog.js';

const SHOP = repoPath('examples', 'shop');
const key = (cols: readonly string[]) => cols.join('+');

// The ground truth is documented in examples/shop/generate.mjs: every true key and
// relationship must be found, and nothing else.
test('on the shop demo every true key and relationship is found, with no false ones', async () => {
  await withTempDir('explore-shop', async (dir) => {
    await cp(SHOP, join(dir, 'shop'), { recursive: true, filter: (src) => !src.endsWith('.mjs') });
    assert.equal((await runFathom(['explore', 'shop', '-q'], { cwd: dir })).code, 0);
    const run = await runFathom(['catalog', '--json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const catalog = run.json() as Catalog;

    const keys = Object.fromEntries(
      catalog.tables.map((t) => [t.name, t.primaryKey ? key(t.primaryKey.columns) : null]),
    );
    assert.deepEqual(keys, {
      customers: 'customer_id',
      products: 'product_id',
      orders: 'order_id',
      order_items: 'order_id+line_no',
      returns: 'return_id',
      support_tickets: 'ticket_id',
    });
    const rels = catalog.relationships
      .map((r) => `${r.from.table}.${key(r.from.columns)}->${r.to.table}.${key(r.to.columns)}`)
      .sort();
    assert.deepEqual(rels, [
      'order_items.order_id->orders.order_id',
      'order_items.product_id->products.product_id',
      'orders.customer_id->customers.customer_id',
      'returns.order_id+line_no->order_items.order_id+line_no',
      'support_tickets.customer_id->customers.customer_id',
    ]);
    const orders = catalog.relationships.find((r) => r.from.table === 'orders')!;
    assert.ok(orders.coverage > 0.99 && orders.coverage < 1, `orphan orders lower the coverage: ${orders.coverage}`);
    assert.ok(orders.evidence?.some((e) => /orphan rows/.test(e)));
    assert.ok(
      catalog.findings?.some((f) =>
        /^orders\.customer_id refers to customers\.customer_id; 0\.\d% of orders rows \(\d+\) have no matching customers row/.test(
          f,
        ),
      ),
    );

    assert.ok(
      catalog.findings?.some((f) =>
        /^customers\.churned and customers\.cancellation_reason are almost perfectly associated \(Cramér’s V 1\.00/.test(
          f,
        ),
      ),
      'the planted leak shows as an association',
    );
    assert.equal(catalog.targets[0]?.table, 'customers');
    assert.equal(catalog.targets[0]?.column, 'churned');
    assert.equal(catalog.targets[0]?.kind, 'binary');

    const customers = catalog.tables.find((t) => t.name === 'customers')!;
    const pii = Object.fromEntries(customers.columns.filter((c) => c.pii).map((c) => [c.name, c.pii]));
    assert.deepEqual(pii, { full_name: 'person_name', email: 'email', phone: 'phone', postal_code: 'postal_code' });
    assert.equal(catalog.tables.flatMap((t) => t.columns).filter((c) => c.pii).length, 4, 'no other column is PII');
    const types = Object.fromEntries(customers.columns.map((c) => [c.name, c.semanticType]));
    assert.equal(types.customer_id, 'id');
    assert.equal(types.churned, 'boolean');
    assert.equal(types.signed_up_at, 'datetime');
    assert.equal(types.country, 'categorical');
    assert.equal(types.age, 'numeric');
    const timeIndex = Object.fromEntries(catalog.tables.map((t) => [t.name, t.timeIndex?.column ?? null]));
    assert.deepEqual(timeIndex, {
      customers: 'signed_up_at',
      products: null,
      orders: 'ordered_at',
      order_items: null,
      returns: 'returned_at',
      support_tickets: 'opened_at',
    });

    // No raw PII anywhere in the catalog: take real values from the CSV and look for them.
    const text = JSON.stringify(catalog);
    const rows = (await readFile(join(SHOP, 'customers.csv'), 'utf8'))
      .split('\n')
      .slice(1, 200)
      .map((l) => l.split(','));
    for (const r of rows.filter((r) => r.length > 4)) {
      for (const v of [r[1], r[2], r[3]]) assert.ok(!text.includes(v!), `raw PII value ${v} leaked into the catalog`);
    }
    assert.match(JSON.stringify(customers.columns.find((c) => c.name === 'email')!.stats.top), /\*\*\*@e\*\*\*\.com/);
  });
});

test('explore --workers 2 runs the plan on two worker processes with the same result, and reuses it after', async () => {
  await withTempDir('explore-workers', async (dir) => {
    await cp(SHOP, join(dir, 'shop'), { recursive: true, filter: (src) => !src.endsWith('.mjs') });
    const run = await runFathom(['explore', 'shop', '--workers', '2', '--json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json().profiled, 6);
    assert.equal(run.json().relationships.length, 5);
    const log = (await runFathom(['log', '--json', '--status', 'succeeded', '-n', '100'], { cwd: dir })).json();
    const workers = new Set(
      log.entries
        .filter((e: { kind: string }) => e.kind.startsWith('explore.'))
        .map((e: { workerId: string }) => e.workerId),
    );
    assert.ok(
      [...workers].every((w) => /\/w[12]$/.test(String(w))),
      `explore actions ran in the worker processes: ${[...workers].join(', ')}`,
    );
    const again = await runFathom(['explore', '--json'], { cwd: dir });
    assert.equal(again.json().reused, 6);
    assert.equal(again.json().relationshipsReused, true);
    assert.equal((await runFathom(['verify'], { cwd: dir })).code, 0);
  });
});
