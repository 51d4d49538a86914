import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, sha256 } from '../util/hash.js';
import {
  addDigest,
  checksumOfDigests,
  EMPTY_CHECKSUM,
  replaceRow,
  rowDigest,
  rowDigestFromJson,
  subtractDigest,
} from './projection-checksum.js';

const rows: Array<[string, string, unknown]> = [
  ['tables', 'orders', { rows: 10, cols: ['a', 'b'] }],
  ['tables', 'users', { rows: 3 }],
  ['actions', 'abc', 'succeeded'],
];

describe('projection checksum', () => {
  it('hashes a row as sha256 of canonical [collection, key, value], whatever the key order', () => {
    assert.equal(rowDigest('c', 'k', { b: 1, a: [2] }), sha256(canonicalJson(['c', 'k', { a: [2], b: 1 }])));
    assert.equal(rowDigestFromJson('c', 'k\u0000"', '{"a":1}'), rowDigest('c', 'k\u0000"', { a: 1 }));
    assert.notEqual(rowDigest('c', 'k', 1), rowDigest('k', 'c', 1));
  });

  it('does not depend on the order rows were added', () => {
    const digests = rows.map(([c, k, v]) => rowDigest(c, k, v));
    const forward = digests.reduce(addDigest, EMPTY_CHECKSUM);
    const backward = [...digests].reverse().reduce(addDigest, EMPTY_CHECKSUM);
    assert.equal(forward, backward);
    assert.equal(forward, checksumOfDigests(digests));
    assert.notEqual(forward, EMPTY_CHECKSUM);
  });

  it('returns to the previous checksum when a row is removed, and replacing equals a fresh sum', () => {
    const [a, b] = [rowDigest('c', 'a', 1), rowDigest('c', 'b', 2)];
    const both = checksumOfDigests([a, b]);
    assert.equal(subtractDigest(both, b), checksumOfDigests([a]));
    assert.equal(subtractDigest(subtractDigest(both, b), a), EMPTY_CHECKSUM);
    const b2 = rowDigest('c', 'b', 3);
    assert.equal(replaceRow(both, b, b2), checksumOfDigests([a, b2]));
    assert.equal(replaceRow(both, b, null), checksumOfDigests([a]));
    assert.equal(replaceRow(checksumOfDigests([a]), null, b), both);
  });

  it('wraps modulo 2^256 in both directions and stays 64 hex digits', () => {
    const max = 'f'.repeat(64);
    assert.equal(addDigest(max, '0'.repeat(63) + '2'), '0'.repeat(63) + '1');
    assert.equal(subtractDigest(EMPTY_CHECKSUM, '0'.repeat(63) + '1'), max);
  });

  it('rejects a checksum that is not 64 hex digits', () => {
    assert.throws(() => addDigest('xyz', EMPTY_CHECKSUM), /not 64 hex digits/);
  });
});
