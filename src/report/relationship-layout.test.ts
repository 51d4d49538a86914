import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, CatalogTable, Relationship } from '../explore/catalog.js';
import { layoutRelationships } from './relationship-layout.js';
import { shopCatalog } from './shop-catalog-fixture.js';

const table = (name: string, source = 's'): CatalogTable => ({ name, source, rows: 1, primaryKey: null, timeIndex: null, columns: [] });
const rel = (from: string, to: string, extra: Partial<Relationship> = {}): Relationship => ({
  from: { table: from, columns: ['x'] },
  to: { table: to, columns: ['id'] },
  confidence: 1,
  coverage: 1,
  status: 'suggested',
  ...extra,
});
const catalog = (tables: CatalogTable[], relationships: Relationship[]): Catalog => ({ version: 1, sources: [], tables, relationships, targets: [] });

test('every relationship of the shop gets an arrow, from below up to its parent', () => {
  const shop = shopCatalog();
  const layout = layoutRelationships(shop);
  assert.equal(layout.nodes.length, 6);
  assert.equal(layout.edges.length, shop.relationships.length);
  const node = new Map(layout.nodes.map((n) => [n.id, n]));
  for (const e of layout.edges) {
    const child = node.get(e.relationship.from.table)!;
    const parent = node.get(e.relationship.to.table)!;
    assert.ok(parent.y < child.y, `${parent.id} sits above ${child.id}`);
    assert.ok(e.y1 >= e.y2, 'the arrow points up');
    for (const n of layout.nodes) assert.ok(n.x + n.w <= layout.width && n.y + n.h <= layout.height);
  }
  // returns -> order_items -> orders -> customers: four layers.
  assert.deepEqual(['customers', 'orders', 'order_items', 'returns'].map((t) => node.get(t)!.y), [...new Set(layout.nodes.map((n) => n.y))].sort((a, b) => a - b));
});

test('no two nodes overlap, even for 100 unrelated tables (they wrap into rows)', () => {
  const tables = Array.from({ length: 100 }, (_, i) => table(`t${i}`));
  const layout = layoutRelationships(catalog(tables, []));
  const seen = new Set(layout.nodes.map((n) => `${n.x},${n.y}`));
  assert.equal(seen.size, 100);
  assert.ok(layout.width < 2000, `width ${layout.width}`);
});

test('a reference cycle and a self-reference still lay out, with every edge drawn', () => {
  const c = catalog([table('a'), table('b'), table('emp')], [rel('a', 'b'), rel('b', 'a'), rel('emp', 'emp', { from: { table: 'emp', columns: ['manager_id'] } })]);
  const layout = layoutRelationships(c);
  assert.equal(layout.edges.length, 3);
  assert.equal(layout.edges.filter((e) => e.self).length, 1);
  for (const e of layout.edges) for (const v of [e.x1, e.y1, e.x2, e.y2, e.lx, e.ly]) assert.ok(Number.isFinite(v));
});

test('two relationships between the same tables are drawn apart, labels not on top of each other', () => {
  const c = catalog([table('orders'), table('addresses')], [
    rel('orders', 'addresses', { from: { table: 'orders', columns: ['billing_address_id'] } }),
    rel('orders', 'addresses', { from: { table: 'orders', columns: ['shipping_address_id'] } }),
  ]);
  const [a, b] = layoutRelationships(c, () => 150).edges;
  assert.ok(a!.x1 !== b!.x1 || a!.y1 !== b!.y1);
  assert.ok(Math.abs(a!.ly - b!.ly) >= 13 || Math.abs(a!.lx - b!.lx) >= 150);
});

test('tables of two sources with the same name are two nodes, and relationships pick the right one', () => {
  const c = catalog([table('users', 'crm'), table('users', 'shop'), table('orders', 'shop')], [rel('orders', 'users', { fromSource: 'shop', toSource: 'shop' })]);
  const layout = layoutRelationships(c);
  assert.deepEqual(layout.nodes.map((n) => n.id).sort(), ['crm.users', 'orders', 'shop.users']);
  const shopUsers = layout.nodes.find((n) => n.id === 'shop.users')!;
  assert.equal(layout.edges[0]!.y2, shopUsers.y + shopUsers.h);
});
