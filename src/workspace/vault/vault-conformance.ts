import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Vault } from './vault.js';
import { FathomError } from '../../util/fathom-error.js';

/**
 * The behaviour every Vault implementation shares. Call it from each implementation's test
 * file with a factory that returns a fresh, empty vault.
 */
export function vaultConformance(label: string, makeVault: () => Promise<Vault>): void {
  describe(`Vault conformance: ${label}`, () => {
    it('sets, gets, has, lists and deletes', async () => {
      const vault = await makeVault();
      assert.deepEqual(await vault.list(), []);
      const ref = await vault.set('shop-db', 's3cret');
      assert.equal(ref, 'vault:shop-db');
      assert.equal(await vault.get(ref), 's3cret');
      assert.equal(await vault.get('shop-db'), 's3cret', 'a bare name works like the ref');
      assert.equal(await vault.has(ref), true);
      assert.equal(await vault.has('vault:other'), false);
      await vault.set('api', 'k');
      assert.deepEqual(await vault.list(), ['api', 'shop-db']);
      await vault.delete(ref);
      assert.equal(await vault.has(ref), false);
      assert.deepEqual(await vault.list(), ['api']);
      await vault.delete(ref); // deleting twice is not an error
    });

    it('overwrites a secret in place', async () => {
      const vault = await makeVault();
      await vault.set('db', 'old');
      await vault.set('vault:db', 'new');
      assert.equal(await vault.get('vault:db'), 'new');
      assert.deepEqual(await vault.list(), ['db']);
    });

    it('names the reference when a secret is missing, and never a value', async () => {
      const vault = await makeVault();
      await vault.set('present', 'do-not-print-me');
      await assert.rejects(vault.get('vault:absent'), (err: unknown) => {
        assert.ok(err instanceof FathomError);
        assert.equal(err.kind, 'not_found');
        assert.match(err.message, /vault:absent/);
        assert.doesNotMatch(`${err.message} ${err.hint ?? ''}`, /do-not-print-me/);
        return true;
      });
    });

    it('keeps names with odd characters apart', async () => {
      const vault = await makeVault();
      const names = [
        'with space',
        "quote\"s 'and' ",
        'ünïcødé/名前',
        '__proto__',
        'constructor',
        'a.b:c=d',
        'vault:nested',
      ];
      for (const [i, name] of names.entries()) await vault.set(`vault:${name}`, `secret-${i}`);
      for (const [i, name] of names.entries()) {
        assert.equal(await vault.get(`vault:${name}`), `secret-${i}`, name);
        assert.equal(await vault.has(`vault:${name}`), true, name);
      }
      assert.deepEqual(await vault.list(), [...names].sort());
      assert.equal(await vault.has('toString'), false);
    });

    it('stores secrets of any content, including empty and multi-line', async () => {
      const vault = await makeVault();
      const values = ['', 'line1\nline2', '🔑 ünicode', 'x'.repeat(10_000)];
      for (const [i, v] of values.entries()) await vault.set(`v${i}`, v);
      for (const [i, v] of values.entries()) assert.equal(await vault.get(`v${i}`), v);
    });

    it('rejects empty names and control characters', async () => {
      const vault = await makeVault();
      await assert.rejects(vault.set('', 'x'), FathomError);
      await assert.rejects(vault.set('vault:', 'x'), FathomError);
      await assert.rejects(vault.set('a\nb', 'x'), /control character/);
    });
  });
}
