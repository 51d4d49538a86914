import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashJson } from '../util/hash.js';
import { actionFingerprint, type FingerprintParts } from './fingerprint.js';

const base: FingerprintParts = {
  kind: 'explore.profile',
  version: '1',
  params: { table: 'orders', sample: 10 },
  inputs: ['a', 'b'],
  metadataVersion: 3,
};

describe('action fingerprint', () => {
  it('is the hash of kind, version, params, input fingerprints and metadata version', () => {
    assert.equal(
      actionFingerprint(base),
      hashJson({
        kind: 'explore.profile',
        version: '1',
        params: { table: 'orders', sample: 10 },
        inputs: ['a', 'b'],
        metadataVersion: 3,
      }),
    );
  });

  it('ignores the order params keys were built in, and treats a missing metadata version as null', () => {
    assert.equal(actionFingerprint({ ...base, params: { sample: 10, table: 'orders' } }), actionFingerprint(base));
    assert.equal(
      actionFingerprint({ ...base, metadataVersion: undefined }),
      actionFingerprint({ ...base, metadataVersion: null }),
    );
  });

  it('changes when any of the four parts changes, including the order of inputs', () => {
    const variants: FingerprintParts[] = [
      { ...base, kind: 'explore.keys' },
      { ...base, version: '2' },
      { ...base, params: { table: 'orders', sample: 11 } },
      { ...base, inputs: ['b', 'a'] },
      { ...base, inputs: ['a'] },
      { ...base, metadataVersion: 4 },
      { ...base, metadataVersion: null },
    ];
    const prints = new Set([base, ...variants].map(actionFingerprint));
    assert.equal(prints.size, variants.length + 1);
  });
});
