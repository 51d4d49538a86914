import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, CatalogTable, Relationship } from '../catalog/catalog.js';
import { layoutRelationships, type LayoutNode } from './relationship-layout.js';
import { shopCatalog } from '../catalog/shop-catalog.fixture.js';

const table = (name: string, source = 's'): CatalogTable => ({
  name,
  source,
  rows: 1,
  primaryKey: null,
  timeIndex: null,
  columns: [],
});
const rel = (from: string, to: string, extra: Partial<Relationship> = {}): Relationship => ({
  from: { table: from, columns: ['x'] },
  to: { table: to, columns: ['id'] },
  confidence: 1,
  coverage: 1,
  status: 'suggested',
  ...extra,
});
const catalog = (tables: CatalogTable[], relationships: Relationship[]): Catalog => ({
  version: 1,
  sources: [],
  tables,
  relationships,
  targets: [],
});

/** Does the segment a-b pass through the inside of the box (shrunk by 1px so touching ends don't count)? */
function crosses(n: LayoutNode, [ax, ay]: readonly [number, number], [bx, by]: readonly [number, number]): boolean {
  const [x0, y0, x1, y1] = [n.x + 1, n.y + 1, n.x + n.w - 1, n.y + n.h - 1];
  for (let i = 0; i <= 200; i++) {
    const x = ax + ((bx - ax) * i) / 200;
    const y = ay + ((by - ay) * i) / 200;
    if (x > x0 && x < x1 && y > y0 && y < y1) return true;
  }
  return false;
}

test('every relationship of the shop gets an arrow, from below up to its parent, through no other table', () => {
  const shop = shopCatalog();
  const layout = layoutRelationships(shop);
  assert.equal(layout.nodes.length, 6);
  assert.equal(layout.edges.length, shop.relationships.length);
  const node = new Map(layout.nodes.map((n) => [n.id, n]));
  for (const e of layout.edges) {
    const child = node.get(e.relationship.from.table)!;
    const parent = node.get(e.relationship.to.table)!;
    assert.ok(parent.y < child.y, `${parent.id} sits above ${child.id}`);
    assert.ok(e.points[0]![1] >= e.points.at(-1)![1], 'the arrow points up');
    for (const n of layout.nodes) {
      assert.ok(n.x + n.w <= layout.width && n.y + n.h <= layout.height);
      if (n === child || n === parent) continue;
      for (let i = 1; i < e.points.length; i++)
        assert.ok(!crosses(n, e.points[i - 1]!, e.points[i]!), `${child.id} -> ${parent.id} cuts through ${n.id}`);
    }
  }
  // returns -> order_items -> orders -> customers: four layers.
  assert.deepEqual(
    ['customers', 'orders', 'order_items', 'returns'].map((t) => node.get(t)!.y),
    [...new Set(layout.nodes.map((n) => n.y))].sort((a, b) => a - b),
  );
  // order_items -> products skips the orders layer: it bends through one waypoint.
  const skip = layout.edges.find((e) => e.relationship.to.table === 'products')!;
  assert.equal(skip.points.length, 3);
});

test('no two nodes overlap, even for 100 unrelated tables (they wrap into a block)', () => {
  const tables = Array.from({ length: 100 }, (_, i) => table(`t${i}`));
  const layout = layoutRelationships(catalog(tables, []));
  const seen = new Set(layout.nodes.map((n) => `${n.x},${n.y}`));
  assert.equal(seen.size, 100);
  assert.ok(layout.width < 3200 && layout.height < 3200, `${layout.width} x ${layout.height}`);
});

test('a reference cycle and a self-reference still lay out, with every edge drawn', () => {
  const c = catalog(
    [table('a'), table('b'), table('emp')],
    [rel('a', 'b'), rel('b', 'a'), rel('emp', 'emp', { from: { table: 'emp', columns: ['manager_id'] } })],
  );
  const layout = layoutRelationships(c);
  assert.equal(layout.edges.length, 3);
  assert.equal(layout.edges.filter((e) => e.self).length, 1);
  for (const e of layout.edges) for (const v of [...e.points.flat(), e.lx, e.ly]) assert.ok(Number.isFinite(v));
});

test('two relationships between the same tables are drawn apart, labels not on top of each other', () => {
  const c = catalog(
    [table('orders'), table('addresses')],
    [
      rel('orders', 'addresses', { from: { table: 'orders', columns: ['billing_address_id'] } }),
      rel('orders', 'addresses', { from: { table: 'orders', columns: ['shipping_address_id'] } }),
    ],
  );
  const [a, b] = layoutRelationships(c, () => 150).edges;
  assert.notDeepEqual(a!.points, b!.points);
  assert.ok(Math.abs(a!.ly - b!.ly) >= 13 || Math.abs(a!.lx - b!.lx) >= 150);
});

test('tables of two sources with the same name are two nodes, and relationships pick the right one', () => {
  const c = catalog(
    [table('users', 'crm'), table('users', 'shop'), table('orders', 'shop')],
    [rel('orders', 'users', { fromSource: 'shop', toSource: 'shop' })],
  );
  const layout = layoutRelationships(c);
  assert.deepEqual(layout.nodes.map((n) => n.id).sort(), ['crm.users', 'orders', 'shop.users']);
  const shopUsers = layout.nodes.find((n) => n.id === 'shop.users')!;
  assert.equal(layout.edges[0]!.points.at(-1)![1], shopUsers.y + shopUsers.h);
});

test('tables with no relationship sit in a block below the related ones', () => {
  const c = catalog(
    [table('lonely'), table('orders'), table('customers'), table('zz_log')],
    [rel('orders', 'customers')],
  );
  const layout = layoutRelationships(c);
  const y = new Map(layout.nodes.map((n) => [n.id, n.y]));
  assert.ok(y.get('customers')! < y.get('orders')!);
  for (const alone of ['lonely', 'zz_log']) assert.ok(y.get(alone)! > y.get('orders')!, `${alone} is below the graph`);
  assert.equal(y.get('lonely'), y.get('zz_log'));
});
