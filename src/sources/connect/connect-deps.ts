import type { SourceTable } from '../source.js';

/** What a connector needs besides the source config. */
export interface ConnectDeps {
  /** The credential from the vault (a database password), when the source has one. */
  readonly secret?: string;
  /** Project cache folder: UTF-8 copies of transcoded files, quarantined rows. */
  readonly cacheDir: string;
  /** Where relative file locations start (the project folder); the process cwd otherwise. */
  readonly cwd?: string;
  /**
   * Tables discovered before, by fingerprint. A file whose cheap fingerprint matches one of
   * them is not read again (no sniffing, no full scan): re-exploring unchanged data costs
   * only the hashing.
   */
  readonly known?: ReadonlyMap<string, SourceTable>;
}
