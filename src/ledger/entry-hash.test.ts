import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from '../util/hash.js';
import { entryHash, GENESIS_HASH, sealEntry } from './entry-hash.js';
import type { EntryInput } from './ledger-store.js';

const input: EntryInput = { kind: 'explore.profile', status: 'succeeded', workerId: 'w', params: { b: 1, a: 2 } };
const AT = '2024-01-01T00:00:00.000Z';

describe('entry hash', () => {
  it('hashes the previous hash followed by the canonical body', () => {
    const { entry, body } = sealEntry(input, 1, AT, GENESIS_HASH);
    assert.equal(entry.hash, sha256(GENESIS_HASH + body));
    assert.equal(entryHash(GENESIS_HASH, body), entry.hash);
    assert.match(body, /^\{"at":"2024-01-01T00:00:00.000Z","detail":null,/);
    assert.match(body, /"params":\{"a":2,"b":1\}/);
  });

  it('is the same whatever order the caller built its objects in', () => {
    const reordered: EntryInput = {
      params: { a: 2, b: 1 },
      workerId: 'w',
      status: 'succeeded',
      kind: 'explore.profile',
    };
    assert.equal(
      sealEntry(reordered, 1, AT, GENESIS_HASH).entry.hash,
      sealEntry(input, 1, AT, GENESIS_HASH).entry.hash,
    );
  });

  it('changes with the seq, the time, the previous hash and any field', () => {
    const base = sealEntry(input, 1, AT, GENESIS_HASH).entry.hash;
    const variants = [
      sealEntry(input, 2, AT, GENESIS_HASH),
      sealEntry(input, 1, '2024-01-01T00:00:00.001Z', GENESIS_HASH),
      sealEntry(input, 1, AT, 'a'.repeat(64)),
      sealEntry({ ...input, params: { a: 2, b: 2 } }, 1, AT, GENESIS_HASH),
      sealEntry({ ...input, patches: [{ collection: 'c', key: 'k', value: 1 }] }, 1, AT, GENESIS_HASH),
    ].map((s) => s.entry.hash);
    assert.equal(new Set([base, ...variants]).size, 6);
  });

  it('stores an undefined patch value as null, the documented delete', () => {
    const { entry } = sealEntry(
      { ...input, patches: [{ collection: 'c', key: 'k', value: undefined }] },
      1,
      AT,
      GENESIS_HASH,
    );
    assert.deepEqual(entry.patches, [{ collection: 'c', key: 'k', value: null }]);
  });

  it('rejects entries that name no kind or worker, or carry a bad patch, naming the field', () => {
    assert.throws(() => sealEntry({ ...input, kind: '' }, 1, AT, GENESIS_HASH), /no kind/);
    assert.throws(() => sealEntry({ ...input, workerId: '' }, 1, AT, GENESIS_HASH), /no workerId/);
    assert.throws(() => sealEntry({ ...input, metadataVersion: 1.5 }, 1, AT, GENESIS_HASH), /metadataVersion 1.5/);
    assert.throws(
      () => sealEntry({ ...input, patches: [{ collection: '', key: 'k', value: 1 }] }, 1, AT, GENESIS_HASH),
      /patch with collection ''/,
    );
  });
});
