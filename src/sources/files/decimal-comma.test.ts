import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnTypes, discoverOne, readRows } from '../connect/files-kit.fixture.js';

test('a semicolon CSV with decimal commas reads its numbers as numbers', async () => {
  const t = await discoverOne('de.csv', 'id;price;label\n1;3,50;a\n2;1234,75;b\n3;0,99;c\n');
  assert.deepEqual(columnTypes(t), { id: 'BIGINT', price: 'DOUBLE', label: 'VARCHAR' });
  assert.equal(t.details?.decimalSeparator, ',');
  assert.deepEqual(await readRows(t, 'sum(price) AS s'), [{ s: 1239.24 }]);
});

test('a semicolon CSV with decimal points is left as it was', async () => {
  const t = await discoverOne('en.csv', 'id;price\n1;3.50\n2;1.25\n');
  assert.deepEqual(columnTypes(t), { id: 'BIGINT', price: 'DOUBLE' });
  assert.equal(t.details?.decimalSeparator, undefined);
});

test('a thousands dot after the sniffer sample widens the column to text instead of failing', async () => {
  const rows = Array.from({ length: 25000 }, (_, i) => `${i};${i},5`);
  rows.push('25000;1.234,75');
  const t = await discoverOne('late.csv', `id;amount\n${rows.join('\n')}\n`);
  assert.equal(t.rows, 25001);
  assert.equal(columnTypes(t).amount, 'VARCHAR');
});
