import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from '../util/hash.js';
import { FathomError } from '../util/fathom-error.js';
import type { ObjectStore } from './object-store.js';

/** What every ObjectStore must do; `corrupt` overwrites a stored object's bytes in place. */
export interface ObjectStoreFixture {
  readonly store: ObjectStore;
  corrupt(hash: string, bytes: Uint8Array): Promise<void>;
  cleanup(): Promise<void>;
}

const isError = (kind: string, text: string) => (e: unknown) =>
  e instanceof FathomError && e.kind === kind && e.message.includes(text);

export function objectStoreConformance(name: string, factory: () => Promise<ObjectStoreFixture>): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    let fx: ObjectStoreFixture;
    beforeEach(async () => {
      fx = await factory();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('names bytes by their sha256 and gives them back', async () => {
      const bytes = new Uint8Array([0, 1, 2, 255]);
      const hash = await fx.store.put(bytes);
      assert.equal(hash, sha256(bytes));
      assert.deepEqual(new Uint8Array(await fx.store.get(hash)), bytes);
      assert.equal(await fx.store.put('héllo'), sha256(Buffer.from('héllo', 'utf8')));
    });

    it('is idempotent: the same content twice is one object', async () => {
      const a = await fx.store.put('same');
      const b = await fx.store.put('same');
      assert.equal(a, b);
      assert.equal(Buffer.from(await fx.store.get(a)).toString(), 'same');
    });

    it('stores JSON canonically, so key order does not change the hash', async () => {
      const a = await fx.store.putJson({ b: 1, a: [1, { d: 2, c: 3 }] });
      const b = await fx.store.putJson({ a: [1, { c: 3, d: 2 }], b: 1 });
      assert.equal(a, b);
      assert.deepEqual(await fx.store.getJson(a), { a: [1, { c: 3, d: 2 }], b: 1 });
    });

    it('knows what it has, and reports a missing object as not_found naming it', async () => {
      const hash = sha256('never stored');
      assert.equal(await fx.store.has(hash), false);
      await assert.rejects(fx.store.get(hash), isError('not_found', hash));
      assert.equal(await fx.store.has(await fx.store.put('x')), true);
    });

    it('checks content on read: a corrupt object is an integrity error naming its hash', async () => {
      const hash = await fx.store.put('original');
      await fx.corrupt(hash, Buffer.from('tampered'));
      await assert.rejects(fx.store.get(hash), isError('integrity', hash));
      await assert.rejects(fx.store.getJson(hash), isError('integrity', hash));
    });

    it('repairs a corrupt object when the right content is put again', async () => {
      const hash = await fx.store.put('original');
      await fx.corrupt(hash, Buffer.from('tampered'));
      assert.equal(await fx.store.put('original'), hash);
      assert.equal(Buffer.from(await fx.store.get(hash)).toString(), 'original');
    });

    it('rejects a name that is not a sha256, so nothing outside the store is reachable', async () => {
      await assert.rejects(fx.store.get('../../etc/passwd'), isError('bad_input', '../../etc/passwd'));
      await assert.rejects(fx.store.has('ABC'), isError('bad_input', 'ABC'));
    });
  });
}
