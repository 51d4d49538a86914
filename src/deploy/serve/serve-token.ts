import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import type { Vault } from '../../workspace/vault/vault.js';
import { FathomError } from '../../util/fathom-error.js';

/** The vault entry holding the bearer token clients of `fathom serve` send. */
export const SERVE_TOKEN = 'serve-token';

/** The token from the vault, created (256 random bits) when the vault has none yet. */
export async function ensureServeToken(vault: Vault): Promise<{ token: string; created: boolean }> {
  if (await vault.has(SERVE_TOKEN)) return { token: await vault.get(SERVE_TOKEN), created: false };
  const token = randomBytes(32).toString('base64url');
  await vault.set(SERVE_TOKEN, token);
  return { token, created: true };
}

/**
 * Write the token for clients to a file only its owner can read (0600), whole or not at all:
 * a temporary file beside it, then a rename.
 */
export async function writeTokenFile(path: string, token: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, `${token}\n`, { mode: 0o600, flag: 'w' });
    await chmod(tmp, 0o600); // the mode above is filtered by the umask and ignored for an existing file
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new FathomError('bad_input', `Cannot write the token file ${path}: ${(err as Error).message}`, {
      hint: 'Give --token-file a path in a folder that exists and you can write to.',
      cause: err,
    });
  }
}

/**
 * Does an `Authorization` header carry the token? Compared in constant time: both sides are
 * hashed first, so neither the content nor the length of the token leaks through timing.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  const given = createHash('sha256')
    .update(m?.[1] ?? '')
    .digest();
  const want = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, want) && m !== null;
}
