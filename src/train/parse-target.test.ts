import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FathomError } from '../util/fathom-error.js';
import { parseTarget } from './parse-target.js';

test('parseTarget: TABLE.COLUMN, and a bad input error naming the fix otherwise', () => {
  assert.deepEqual(parseTarget('customers.churned'), { table: 'customers', column: 'churned' });
  assert.deepEqual(parseTarget('a.b.c'), { table: 'a', column: 'b.c' }, 'the first dot splits');
  for (const bad of ['churned', '.churned', 'customers.']) {
    assert.throws(
      () => parseTarget(bad),
      (e: unknown) =>
        e instanceof FathomError && e.kind === 'bad_input' && /--target must be TABLE\.COLUMN/.test(e.message),
    );
  }
  assert.throws(() => parseTarget(undefined), /needs a target/);
});
