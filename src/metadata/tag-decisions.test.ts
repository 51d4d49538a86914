import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shopCatalog } from '../catalog/shop-catalog.fixture.js';
import type { Catalog, CatalogColumn } from '../catalog/catalog.js';
import { FathomError } from '../util/fathom-error.js';
import { guessKind, tagDecisions } from './tag-decisions.js';

const catalog = shopCatalog();
const columnOf = (c: Catalog, table: string, name: string): CatalogColumn =>
  c.tables.find((t) => t.name === table)!.columns.find((x) => x.name === name)!;

/** Bad input: exit code 2, the message naming what is wrong and a hint saying what to write. */
function rejects(body: () => unknown, message: RegExp): void {
  assert.throws(body, (err: unknown) => {
    assert.ok(err instanceof FathomError, String(err));
    assert.match(err.message, message);
    assert.equal(err.exitCode, 2);
    assert.ok(err.hint, 'a hint says how to fix it');
    return true;
  });
}

test('each fact becomes one decision about the subject', () => {
  assert.deepEqual(tagDecisions(catalog, 'customers.churned', { target: true }), [
    { fact: 'target', source: 'shop', table: 'customers', column: 'churned', status: 'confirmed', kind: 'binary' },
  ]);
  assert.deepEqual(tagDecisions(catalog, 'customers.email', { pii: 'none', type: 'text' }), [
    { fact: 'semanticType', source: 'shop', table: 'customers', column: 'email', status: 'confirmed', value: 'text' },
    { fact: 'pii', source: 'shop', table: 'customers', column: 'email', status: 'confirmed', value: null },
  ]);
  assert.deepEqual(tagDecisions(catalog, 'returns.order_id,line_no', { notPrimaryKey: true }), [
    { fact: 'primaryKey', source: 'shop', table: 'returns', status: 'rejected', value: ['order_id', 'line_no'] },
  ]);
  assert.deepEqual(tagDecisions(catalog, 'customers.cancellation_reason', { use: true }), [
    {
      fact: 'ignore',
      source: 'shop',
      table: 'customers',
      column: 'cancellation_reason',
      status: 'confirmed',
      value: false,
    },
  ]);
});

test('a reference to a table alone points at its key', () => {
  assert.deepEqual(tagDecisions(catalog, 'orders.customer_id', { references: 'customers' }), [
    {
      fact: 'relationship',
      status: 'confirmed',
      from: { source: 'shop', table: 'orders', columns: ['customer_id'] },
      to: { source: 'shop', table: 'customers', columns: ['customer_id'] },
    },
  ]);
  const keyless: Catalog = {
    ...catalog,
    tables: catalog.tables.map((t) => (t.name === 'customers' ? { ...t, primaryKey: null } : t)),
  };
  rejects(
    () => tagDecisions(keyless, 'orders.customer_id', { notReferences: 'customers' }),
    /--not-references customers: name the parent column\(s\), customers has no key/,
  );
});

test('facts that contradict each other are refused, naming both', () => {
  rejects(
    () => tagDecisions(catalog, 'customers.churned', { target: true, notTarget: true }),
    /--target and --not-target contradict each other/,
  );
  rejects(
    () => tagDecisions(catalog, 'customers.customer_id', { primaryKey: true, notPrimaryKey: true }),
    /--primary-key and --not-primary-key contradict/,
  );
  rejects(
    () => tagDecisions(catalog, 'orders.ordered_at', { timeIndex: true, notTimeIndex: true }),
    /--time-index and --not-time-index contradict/,
  );
  rejects(() => tagDecisions(catalog, 'customers.plan', { ignore: true, use: true }), /--ignore and --use contradict/);
  rejects(() => tagDecisions(catalog, 'customers.age', { kind: 'regression' }), /--kind goes with --target/);
});

test('a fact about one column needs exactly one, a key needs some, and a tag needs a fact', () => {
  rejects(() => tagDecisions(catalog, 'customers', { type: 'numeric' }), /--type needs exactly one column/);
  rejects(
    () => tagDecisions(catalog, 'returns.order_id,line_no', { target: true }),
    /--target needs exactly one column, got "returns.order_id,line_no"/,
  );
  rejects(
    () => tagDecisions(catalog, 'customers', { primaryKey: true }),
    /--primary-key needs the column\(s\): got only the table customers/,
  );
  rejects(() => tagDecisions(catalog, 'customers.plan', {}), /Nothing to record for customers.plan/);
  rejects(() => tagDecisions(catalog, 'nosuch.x', { ignore: true }), /No explored table named nosuch/);
});

test("a target's kind: as given, else as exploration proposed, else read from the column", () => {
  const kindOf = (subject: string) => (tagDecisions(catalog, subject, { target: true })[0] as { kind: string }).kind;
  assert.equal(
    (tagDecisions(catalog, 'orders.total_amount', { target: true, kind: 'multiclass' })[0] as { kind: string }).kind,
    'multiclass',
  );
  // orders.status is categorical with 2 values, and exploration proposed it as binary.
  assert.equal(guessKind(catalog, 'orders', columnOf(catalog, 'orders', 'status')), 'binary');
  assert.equal(kindOf('orders.total_amount'), 'regression');
  assert.equal(kindOf('customers.plan'), 'multiclass');
  const unproposed: Catalog = { ...catalog, targets: [] };
  assert.equal(guessKind(unproposed, 'orders', columnOf(catalog, 'orders', 'status')), 'binary', 'two values');
  assert.equal(guessKind(unproposed, 'customers', columnOf(catalog, 'customers', 'churned')), 'binary');
  assert.equal(guessKind(unproposed, 'customers', columnOf(catalog, 'customers', 'age')), 'regression');
  assert.equal(guessKind(unproposed, 'orders', columnOf(catalog, 'orders', 'channel')), 'multiclass');
});
