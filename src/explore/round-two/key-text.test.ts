import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duckDbDialect } from '../../engine/duckdb/duckdb-dialect.js';
import { postgresDialect } from '../../engine/postgres/postgres-dialect.js';
import { keyPresent, keyText } from './key-text.js';

test('a key as text: each column cast and quoted, parts joined by a unit separator, in each dialect', () => {
  assert.equal(
    keyText(duckDbDialect, ['order_id', 'line "no"']),
    `CAST("order_id" AS VARCHAR) || '\u001f' || CAST("line ""no""" AS VARCHAR)`,
  );
  assert.equal(
    keyText(postgresDialect, ['order_id', 'line "no"']),
    `CAST("order_id" AS text) || '\u001f' || CAST("line ""no""" AS text)`,
  );
  assert.equal(keyText(postgresDialect, ['id']), 'CAST("id" AS text)');
  assert.equal(keyPresent(duckDbDialect, ['a', 'b']), '"a" IS NOT NULL AND "b" IS NOT NULL');
});
