import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openFileVault } from './file-vault.js';
import { parseMasterKey, passphraseKey, type MasterKey } from './master-key.js';
import { vaultConformance } from './vault-conformance.js';
import { FathomError } from '../../util/fathom-error.js';

const dir = await mkdtemp(join(tmpdir(), 'fathom-vault-'));
after(() => rm(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `v${n++}`, 'vault.json');
const rawKey = (): MasterKey => parseMasterKey(randomBytes(32).toString('hex'));
// A low scrypt cost keeps tests fast; the cost is stored in the header, so it round-trips.
const cheap = (pass: string) => passphraseKey(pass, { N: 1024, r: 8, p: 1 });

vaultConformance('file (raw key)', async () => openFileVault(freshPath(), rawKey()));
vaultConformance('file (passphrase)', async () => openFileVault(freshPath(), cheap('correct horse')));

describe('file vault', () => {
  it('writes the file with mode 0600 and narrows a looser existing mode', async () => {
    const path = freshPath();
    const key = rawKey();
    const vault = await openFileVault(path, key);
    await vault.set('db', 'pw');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    await chmod(path, 0o644);
    await openFileVault(path, key);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it('never holds a secret or its base64 in plain text', async () => {
    const path = freshPath();
    const vault = await openFileVault(path, cheap('pass'));
    const secret = 'hunter2-plaintext-marker';
    await vault.set('db', secret);
    await vault.set('db2', secret); // same plaintext twice: random IVs give different bytes
    const bytes = await readFile(path);
    assert.equal(bytes.includes(secret), false);
    assert.equal(bytes.includes(Buffer.from(secret).toString('base64').slice(0, 16)), false);
    const file = JSON.parse(bytes.toString('utf8')) as { secrets: Record<string, { data: string; iv: string }> };
    assert.notEqual(file.secrets.db?.data, file.secrets.db2?.data);
    assert.notEqual(file.secrets.db?.iv, file.secrets.db2?.iv);
  });

  it('persists across opens with the same key', async () => {
    const path = freshPath();
    const key = rawKey();
    await (await openFileVault(path, key)).set('db', 'pw');
    assert.equal(await (await openFileVault(path, key)).get('vault:db'), 'pw');
    const pathP = freshPath();
    await (await openFileVault(pathP, cheap('pass'))).set('db', 'pw2');
    assert.equal(await (await openFileVault(pathP, cheap('pass'))).get('db'), 'pw2');
  });

  it('detects a wrong key or passphrase, naming the file and not the secret', async () => {
    const path = freshPath();
    await (await openFileVault(path, rawKey())).set('db', 'secret-value');
    const check = (where: string) => (err: unknown) => {
      assert.ok(err instanceof FathomError);
      assert.ok(err.message.includes(where), err.message);
      assert.match(err.message, /key does not match/);
      assert.doesNotMatch(err.message, /secret-value/);
      return true;
    };
    await assert.rejects(openFileVault(path, rawKey()), check(path));
    const pathP = freshPath();
    await (await openFileVault(pathP, cheap('right'))).set('db', 'secret-value');
    await assert.rejects(openFileVault(pathP, cheap('wrong')), check(pathP));
    await assert.rejects(openFileVault(pathP, rawKey()), /protected by a passphrase/);
  });

  it('detects tampered ciphertext and a ciphertext moved to another name', async () => {
    const path = freshPath();
    const vault = await openFileVault(path, rawKey());
    await vault.set('a', 'alpha-secret');
    await vault.set('b', 'beta-secret');
    const file = JSON.parse(await readFile(path, 'utf8')) as { secrets: Record<string, { data: string }> };
    const original = structuredClone(file);
    const data = Buffer.from(file.secrets.a!.data, 'base64');
    data[0] = data[0]! ^ 1;
    file.secrets.a!.data = data.toString('base64');
    file.secrets.b = original.secrets.a!; // a valid ciphertext under the wrong name
    await writeFile(path, JSON.stringify(file));
    for (const ref of ['vault:a', 'vault:b']) {
      await assert.rejects(vault.get(ref), (err: unknown) => {
        assert.ok(err instanceof FathomError);
        assert.equal(err.kind, 'integrity');
        assert.ok(err.message.includes(ref) && err.message.includes(path), err.message);
        assert.doesNotMatch(err.message, /alpha|beta/);
        return true;
      });
    }
  });

  it('reports a corrupt file clearly', async () => {
    const path = freshPath();
    await (await openFileVault(path, rawKey())).set('a', 'x');
    await writeFile(path, '{"fathomVault": 1, "kdf": ');
    await assert.rejects(openFileVault(path, rawKey()), /not a readable vault file/);
  });

  it('serialises concurrent writes from one process', async () => {
    const vault = await openFileVault(freshPath(), rawKey());
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.set(`k${i}`, `v${i}`)));
    assert.equal((await vault.list()).length, 20);
    assert.equal(await vault.get('k13'), 'v13');
  });
});

describe('workspace vault', () => {
  it('opens with FATHOM_MASTER_KEY and refuses another key', async () => {
    const { openWorkspaceVault } = await import('./open-workspace-vault.js');
    const { PassThrough } = await import('node:stream');
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    const path = freshPath();
    const env = { FATHOM_MASTER_KEY: randomBytes(32).toString('base64') };
    await (await openWorkspaceVault(path, env, stdin)).set('db', 'pw');
    assert.equal(await (await openWorkspaceVault(path, env, stdin)).get('vault:db'), 'pw');
    await assert.rejects(
      openWorkspaceVault(path, { FATHOM_MASTER_KEY: randomBytes(32).toString('hex') }, stdin),
      /key does not match/,
    );
  });
});
