import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FathomError } from '../util/fathom-error.js';
import { quoteIdent, quoteString, quoteTable } from './quote.js';

test('quoteIdent doubles embedded double quotes and keeps everything else verbatim', () => {
  assert.equal(quoteIdent('plain'), '"plain"');
  assert.equal(quoteIdent('we"ird'), '"we""ird"');
  assert.equal(quoteIdent('""'), '""""""');
  assert.equal(quoteIdent("naïve ✓ it's. select"), `"naïve ✓ it's. select"`);
});

test('quoteTable qualifies with the schema only when given, quoting each part', () => {
  assert.equal(quoteTable({ name: 't' }), '"t"');
  assert.equal(quoteTable({ schema: 'my.schema', name: 'a"b' }), '"my.schema"."a""b"');
});

test('quoteString doubles single quotes and leaves backslashes alone', () => {
  assert.equal(quoteString("it's"), "'it''s'");
  assert.equal(quoteString('a\\b'), "'a\\b'");
});

test('NUL bytes and empty names are refused as bad input, naming the position', () => {
  assert.throws(
    () => quoteIdent('ab\u0000c'),
    (e: unknown) =>
      e instanceof FathomError && e.kind === 'bad_input' && /position 2/.test(e.message) && e.hint !== undefined,
  );
  assert.throws(
    () => quoteString('\u0000'),
    (e: unknown) => e instanceof FathomError && /NUL/.test(e.message),
  );
  assert.throws(
    () => quoteIdent(''),
    (e: unknown) => e instanceof FathomError && /empty/.test(e.message),
  );
  assert.throws(() => quoteTable({ schema: '', name: 't' }), FathomError);
});
