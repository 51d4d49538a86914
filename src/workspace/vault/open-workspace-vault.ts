import type { Vault } from './vault.js';
import { openFileVault } from './file-vault.js';
import { resolveMasterKey } from './master-key.js';

/**
 * The project's vault: the file at `path`, unlocked by FATHOM_MASTER_KEY, or by a passphrase
 * from FATHOM_VAULT_PASSPHRASE or typed at the terminal. Fails at once on a wrong key.
 */
export async function openWorkspaceVault(
  path: string,
  env: NodeJS.ProcessEnv,
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<Vault> {
  return openFileVault(path, await resolveMasterKey({ env, stdin }));
}
