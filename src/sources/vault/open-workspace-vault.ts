import { openFileVault } from './file-vault.js';
import { resolveMasterKey } from './master-key.js';
import type { Vault } from './vault.js';

/** Open a workspace's file vault with the master key from the environment or a prompt. */
export async function openWorkspaceVault(
  path: string,
  env: NodeJS.ProcessEnv,
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<Vault> {
  return openFileVault(path, await resolveMasterKey({ env, stdin }));
}
