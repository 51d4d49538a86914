import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, hashJson } from './hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members, keeping array slots as null', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: undefined, c: [undefined, 2] } }), '{"a":{"c":[null,2]},"b":1}');
  });

  it('writes -0 as 0, big numbers and bigints stably, and unicode (lone surrogates too) unambiguously', () => {
    assert.equal(
      canonicalJson([-0, 1e21, 2 ** 53 + 1, 12345678901234567890n]),
      '[0,1e+21,9007199254740992,"12345678901234567890"]',
    );
    assert.equal(canonicalJson({ é: 'ü😀', x: '\ud800' }), '{"x":"\\ud800","é":"ü😀"}');
    assert.throws(() => canonicalJson({ a: Number.NaN }), /non-finite/);
  });

  it('keeps an own "__proto__" key (e.g. a column of that name) instead of silently dropping it', () => {
    // JSON.parse makes "__proto__" an own property; a plain `out[key] =` assignment would
    // set the prototype instead, so two different values would hash the same.
    const value = JSON.parse('{"__proto__":{"x":1},"a":1}') as unknown;
    assert.equal(canonicalJson(value), '{"__proto__":{"x":1},"a":1}');
    assert.notEqual(hashJson(value), hashJson({ a: 1 }));
    assert.deepEqual(JSON.parse(canonicalJson(value)), value);
  });
});
