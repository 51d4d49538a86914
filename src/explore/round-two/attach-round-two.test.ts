import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shopCatalog } from '../../catalog/shop-catalog.fixture.js';
import { shopRoundTwo } from '../../catalog/round-two.fixture.js';
import { withRoundTwo } from './attach-round-two.js';

const reasonAlerts = (c: ReturnType<typeof shopCatalog>) =>
  c.tables
    .find((t) => t.name === 'customers')!
    .columns.find((x) => x.name === 'cancellation_reason')!
    .alerts.filter((a) => a.kind === 'leakage_suspect');

test('round two joins the catalog with its suspects as column alerts, once', () => {
  const before = shopCatalog();
  const existing = reasonAlerts(before).length;
  const after = withRoundTwo(before, shopRoundTwo(), 1);
  assert.equal(after.roundTwo?.target.column, 'churned');
  assert.equal(reasonAlerts(after).length, existing + 1);
  assert.equal(reasonAlerts(withRoundTwo(after, shopRoundTwo(), 1)).length, existing + 1, 'applied twice, added once');
});

test('a stale round two (other metadata version, or a target the catalog lacks) is left out', () => {
  const catalog = shopCatalog();
  assert.equal(withRoundTwo(catalog, shopRoundTwo(), 2), catalog);
  assert.equal(withRoundTwo(catalog, undefined, 1), catalog);
  const gone = { ...shopRoundTwo(), target: { ...shopRoundTwo().target, column: 'dropped_column' } };
  assert.equal(withRoundTwo(catalog, gone, 1), catalog);
});
