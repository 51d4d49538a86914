import { randomBytes, scrypt } from 'node:crypto';
import { badInput } from '../../util/fathom-error.js';
import { obtainSecret } from './credential-prompt.js';

export const MASTER_KEY_ENV = 'FATHOM_MASTER_KEY';
export const PASSPHRASE_ENV = 'FATHOM_VAULT_PASSPHRASE';

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * N=2^15, r=8: about 32 MiB and ~100 ms per derivation, the interactive-login cost scrypt's
 * author recommends. Tests pass a lower cost; the cost used is stored in the vault header.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

/** How to unlock a vault: a raw 32-byte key, or a passphrase stretched with scrypt. */
export type MasterKey =
  | { readonly kind: 'raw'; readonly key: Buffer; readonly origin: string }
  | { readonly kind: 'passphrase'; readonly passphrase: string; readonly cost: ScryptCost };

/** The key-derivation record kept in the vault file header. */
export type KdfHeader =
  | { readonly name: 'raw' }
  | { readonly name: 'scrypt'; readonly salt: string; readonly N: number; readonly r: number; readonly p: number };

/** Parse 64 hex characters or base64 (or base64url) of exactly 32 bytes. */
export function parseMasterKey(text: string, origin: string = MASTER_KEY_ENV): MasterKey {
  const trimmed = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === 32) key = decoded;
  }
  if (key === null) {
    // Never echo the value: it may be a real key pasted slightly wrong.
    throw badInput(
      `${origin} is not a valid master key (need 64 hex characters or base64 of 32 bytes; got ${trimmed.length} characters)`,
      `Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('hex'))"`,
    );
  }
  return { kind: 'raw', key, origin };
}

export function passphraseKey(passphrase: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): MasterKey {
  if (passphrase.length === 0) throw badInput('The vault passphrase is empty', 'Type a passphrase.');
  return { kind: 'passphrase', passphrase, cost };
}

/** The master key from FATHOM_MASTER_KEY, or null when it is not set. */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): MasterKey | null {
  const value = env[MASTER_KEY_ENV];
  return value === undefined || value === '' ? null : parseMasterKey(value, MASTER_KEY_ENV);
}

/**
 * Resolve the master key once: FATHOM_MASTER_KEY, else a passphrase from
 * FATHOM_VAULT_PASSPHRASE or typed at a terminal.
 */
export async function resolveMasterKey(options: {
  env?: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}): Promise<MasterKey> {
  const env = options.env ?? process.env;
  const raw = masterKeyFromEnv(env);
  if (raw !== null) return raw;
  const passphrase = await obtainSecret({
    envVar: PASSPHRASE_ENV,
    prompt: 'Vault passphrase',
    stdin: options.stdin,
    env,
    alternative: `${MASTER_KEY_ENV} (a 32-byte key)`,
  });
  return passphraseKey(passphrase);
}

/** A header for a new vault: a fresh 16-byte salt for a passphrase. */
export function newKdfHeader(master: MasterKey): KdfHeader {
  if (master.kind === 'raw') return { name: 'raw' };
  return { name: 'scrypt', salt: randomBytes(16).toString('base64'), ...master.cost };
}

/** The 32-byte AES key for a vault whose header is `kdf`; throws if the kinds disagree. */
export async function deriveKey(master: MasterKey, kdf: KdfHeader, vaultPath: string): Promise<Buffer> {
  if (kdf.name === 'raw') {
    if (master.kind === 'raw') return master.key;
    throw badInput(
      `Vault ${vaultPath} was created with a raw master key, but a passphrase was given`,
      `Set ${MASTER_KEY_ENV} to the key the vault was created with.`,
    );
  }
  if (master.kind === 'raw') {
    throw badInput(
      `Vault ${vaultPath} is protected by a passphrase, but ${master.origin} holds a raw key`,
      `Unset ${master.origin} and give the passphrase (${PASSPHRASE_ENV} or the prompt).`,
    );
  }
  const { N, r, p } = kdf;
  const salt = Buffer.from(kdf.salt, 'base64');
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128*N*r (32 MiB at the default cost), Node's default limit.
    scrypt(master.passphrase, salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}
