import { chmod, readFile, stat } from 'node:fs/promises';
import type { Vault, VaultRef } from './vault.js';
import { FathomError } from '../../util/fathom-error.js';
import { atomicWrite } from '../../util/atomic-write.js';
import { deriveKey, newKdfHeader, type KdfHeader, type MasterKey } from './master-key.js';
import { isSealed, open, seal, type Sealed } from './vault-crypto.js';
import { missingSecret, vaultName, vaultRef } from './vault-ref.js';

/** The vault file. Names are visible (they are not secret); values are sealed. */
interface VaultFile {
  readonly fathomVault: 1;
  readonly kdf: KdfHeader;
  /** A known plaintext sealed with the key: tells "wrong key" apart from "altered secret". */
  readonly check: Sealed;
  readonly secrets: Record<string, Sealed>;
}

const CHECK_AAD = 'fathom-vault/check';
const CHECK_TEXT = 'fathom-vault-key-check';
const secretAad = (name: string) => `fathom-vault/secret/${name}`;

/**
 * A vault in one JSON file, each secret sealed with AES-256-GCM under the master key. The
 * file is re-read on every call, so several processes see each other's writes; writes are
 * atomic (temp file + rename) with mode 0600. Two processes writing at the same instant can
 * lose one write: vault writes are rare, interactive steps.
 */
export async function openFileVault(path: string, master: MasterKey): Promise<Vault> {
  const keys = new Map<string, Buffer>();
  // One header for a vault not yet written, so its salt (and scrypt run) is not redone per call.
  let freshKdf: KdfHeader | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  async function keyFor(kdf: KdfHeader): Promise<Buffer> {
    const id = JSON.stringify(kdf);
    let key = keys.get(id);
    if (key === undefined) {
      key = await deriveKey(master, kdf, path);
      keys.set(id, key);
    }
    return key;
  }

  /** The file's contents and its key, verified; a fresh empty vault when there is no file. */
  async function load(): Promise<{ file: VaultFile; key: Buffer }> {
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (text === null) {
      const kdf = (freshKdf ??= newKdfHeader(master));
      const key = await keyFor(kdf);
      return { file: { fathomVault: 1, kdf, check: seal(key, CHECK_TEXT, CHECK_AAD), secrets: {} }, key };
    }
    const file = parse(text, path);
    const key = await keyFor(file.kdf);
    if (open(key, file.check, CHECK_AAD) !== CHECK_TEXT) {
      throw new FathomError('bad_input', `Vault ${path}: the master key does not match this vault`, {
        hint: 'Use the key or passphrase the vault was created with (FATHOM_MASTER_KEY or the prompt).',
      });
    }
    return { file, key };
  }

  async function save(file: VaultFile): Promise<void> {
    await atomicWrite(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  }

  /** Mutations run one at a time within this process. */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  }

  await tightenMode(path);
  await load(); // fail at open, not at first use, when the key is wrong

  return {
    async set(name: string, secret: string): Promise<VaultRef> {
      const key0 = vaultName(name);
      return serial(async () => {
        const { file, key } = await load();
        const secrets = { ...file.secrets, [key0]: seal(key, secret, secretAad(key0)) };
        await save({ ...file, secrets });
        return vaultRef(key0);
      });
    },
    async get(ref: string): Promise<string> {
      const name = vaultName(ref);
      const { file, key } = await load();
      const sealed = Object.hasOwn(file.secrets, name) ? file.secrets[name] : undefined;
      if (sealed === undefined) throw missingSecret(name, `vault ${path}`);
      const secret = open(key, sealed, secretAad(name));
      if (secret === null) {
        throw new FathomError(
          'integrity',
          `Vault ${path}: secret ${vaultRef(name)} fails authentication (the file was altered)`,
          {
            hint: `Store the secret again (fathom vault set ${JSON.stringify(name)}).`,
          },
        );
      }
      return secret;
    },
    async has(ref: string): Promise<boolean> {
      const { file } = await load();
      return Object.hasOwn(file.secrets, vaultName(ref));
    },
    async delete(ref: string): Promise<void> {
      const name = vaultName(ref);
      return serial(async () => {
        const { file } = await load();
        if (!Object.hasOwn(file.secrets, name)) return;
        const secrets = { ...file.secrets };
        delete secrets[name];
        await save({ ...file, secrets });
      });
    },
    async list(): Promise<string[]> {
      const { file } = await load();
      return Object.keys(file.secrets).sort();
    },
  };
}

/** A vault file readable by group or others (copied, restored from backup) is narrowed to 0600. */
async function tightenMode(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info !== null && (info.mode & 0o077) !== 0) await chmod(path, 0o600);
}

function parse(text: string, path: string): VaultFile {
  const broken = (why: string) =>
    new FathomError('integrity', `Vault ${path} is not a readable vault file: ${why}`, {
      hint: 'Restore it from a backup, or move it aside and store the secrets again.',
    });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw broken('not JSON');
  }
  const v = raw as Partial<VaultFile> | null;
  if (v === null || typeof v !== 'object' || v.fathomVault !== 1) throw broken('unknown format or version');
  const kdf = v.kdf as Record<string, unknown> | undefined;
  const kdfOk =
    kdf?.name === 'raw' ||
    (kdf?.name === 'scrypt' && typeof kdf.salt === 'string' && [kdf.N, kdf.r, kdf.p].every(Number.isInteger));
  if (!kdfOk) throw broken('bad key-derivation header');
  if (!isSealed(v.check)) throw broken('missing key check');
  if (typeof v.secrets !== 'object' || v.secrets === null) throw broken('missing secrets');
  // A null-prototype copy: names like "__proto__" must stay ordinary keys.
  const secrets: Record<string, Sealed> = Object.create(null) as Record<string, Sealed>;
  for (const [name, sealed] of Object.entries(v.secrets)) {
    if (!isSealed(sealed)) throw broken(`secret "${name}" is malformed`);
    secrets[name] = sealed;
  }
  return { fathomVault: 1, kdf: v.kdf as KdfHeader, check: v.check, secrets };
}
