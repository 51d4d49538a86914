import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresDialect } from './postgres-dialect.js';

test('postgres quoting accepts names up to 63 bytes and refuses longer ones instead of truncating', () => {
  const ok = 'a'.repeat(63);
  assert.equal(postgresDialect.quoteIdent(ok), `"${ok}"`);
  // 'é' is two bytes in UTF-8: 32 of them are 64 bytes though only 32 characters.
  assert.throws(() => postgresDialect.quoteIdent('é'.repeat(32)), /64 bytes, over its 63-byte limit/);
  assert.throws(() => postgresDialect.quoteTable({ schema: 's', name: 'x'.repeat(64) }), /over its 63-byte limit/);
  assert.equal(postgresDialect.quoteTable({ schema: 'my "s"', name: 't' }), '"my ""s"""."t"');
});
