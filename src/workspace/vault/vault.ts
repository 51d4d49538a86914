/**
 * The credential vault interface. Secrets are only ever handed out to the code that opens a
 * connection; everything else (ledger, logs, fathom.yaml, reports, --json) holds a
 * `VaultRef` such as `vault:shop-db`.
 */
export type VaultRef = `vault:${string}`;

export interface Vault {
  /** Store (or replace) a secret under a name; returns the reference to keep instead. */
  set(name: string, secret: string): Promise<VaultRef>;
  /** The secret, or a clear error naming the reference if it is missing or undecryptable. */
  get(ref: VaultRef | string): Promise<string>;
  has(ref: VaultRef | string): Promise<boolean>;
  delete(ref: VaultRef | string): Promise<void>;
  /** Names only, never secrets. */
  list(): Promise<string[]>;
}
