import type { Vault, VaultRef } from './vault.js';
import { missingSecret, vaultName, vaultRef } from './vault-ref.js';

/** An in-memory vault for tests and one-off runs; secrets die with the process. */
export function openMemoryVault(initial: Readonly<Record<string, string>> = {}): Vault {
  const secrets = new Map<string, string>();
  for (const [name, secret] of Object.entries(initial)) secrets.set(vaultName(name), secret);
  return {
    async set(name: string, secret: string): Promise<VaultRef> {
      const key = vaultName(name);
      secrets.set(key, secret);
      return vaultRef(key);
    },
    async get(ref: string): Promise<string> {
      const key = vaultName(ref);
      const secret = secrets.get(key);
      if (secret === undefined) throw missingSecret(key, 'the in-memory vault');
      return secret;
    },
    async has(ref: string): Promise<boolean> {
      return secrets.has(vaultName(ref));
    },
    async delete(ref: string): Promise<void> {
      secrets.delete(vaultName(ref));
    },
    async list(): Promise<string[]> {
      return [...secrets.keys()].sort();
    },
  };
}
