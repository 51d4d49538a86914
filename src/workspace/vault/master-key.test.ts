import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  deriveKey,
  masterKeyFromEnv,
  newKdfHeader,
  parseMasterKey,
  passphraseKey,
  resolveMasterKey,
} from './master-key.js';
import { FathomError } from '../../util/fathom-error.js';

const notTty = () => Object.assign(new PassThrough(), { isTTY: false });

describe('master key', () => {
  it('accepts 64 hex characters and base64 of 32 bytes', () => {
    const bytes = randomBytes(32);
    for (const text of [
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      bytes.toString('base64'),
      bytes.toString('base64url'),
    ]) {
      const key = parseMasterKey(`${text}\n`);
      assert.ok(key.kind === 'raw' && key.key.equals(bytes), text);
    }
  });

  it('rejects other lengths with a clear error that does not echo the value', () => {
    for (const text of ['abc', 'ab'.repeat(31), randomBytes(16).toString('base64'), 'z'.repeat(64)]) {
      assert.throws(
        () => parseMasterKey(text),
        (err: unknown) => {
          assert.ok(err instanceof FathomError);
          assert.match(err.message, /FATHOM_MASTER_KEY is not a valid master key/);
          assert.ok(!err.message.includes(text));
          return true;
        },
      );
    }
  });

  it('reads FATHOM_MASTER_KEY, and is null when unset or empty', () => {
    const hex = randomBytes(32).toString('hex');
    assert.equal(masterKeyFromEnv({ FATHOM_MASTER_KEY: hex })?.kind, 'raw');
    assert.equal(masterKeyFromEnv({}), null);
    assert.equal(masterKeyFromEnv({ FATHOM_MASTER_KEY: '' }), null);
  });

  it('derives the same key from the same passphrase and salt, another from another salt', async () => {
    const master = passphraseKey('pass', { N: 1024, r: 8, p: 1 });
    const kdf = newKdfHeader(master);
    assert.equal(kdf.name, 'scrypt');
    const a = await deriveKey(master, kdf, 'v.json');
    assert.equal(a.length, 32);
    assert.ok(a.equals(await deriveKey(master, kdf, 'v.json')));
    assert.ok(!a.equals(await deriveKey(master, newKdfHeader(master), 'v.json')));
    assert.ok(!a.equals(await deriveKey(passphraseKey('other', { N: 1024, r: 8, p: 1 }), kdf, 'v.json')));
  });

  it('derives at the default cost (N=2^15) without hitting the memory limit', async () => {
    const master = passphraseKey('pass');
    const key = await deriveKey(master, newKdfHeader(master), 'v.json');
    assert.equal(key.length, 32);
  });

  it('resolves the env key first, then a passphrase env var, else asks for a terminal', async () => {
    const hex = randomBytes(32).toString('hex');
    assert.equal((await resolveMasterKey({ env: { FATHOM_MASTER_KEY: hex }, stdin: notTty() })).kind, 'raw');
    const viaPass = await resolveMasterKey({ env: { FATHOM_VAULT_PASSPHRASE: 'pp' }, stdin: notTty() });
    assert.ok(viaPass.kind === 'passphrase' && viaPass.passphrase === 'pp');
    await assert.rejects(resolveMasterKey({ env: {}, stdin: notTty() }), (err: unknown) => {
      assert.ok(err instanceof FathomError);
      assert.match(err.hint ?? '', /FATHOM_VAULT_PASSPHRASE or FATHOM_MASTER_KEY/);
      return true;
    });
  });
});
