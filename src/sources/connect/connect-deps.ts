/** What a connector needs besides the source config. */
export interface ConnectDeps {
  /** The credential from the vault (a database password), when the source has one. */
  readonly secret?: string;
  /** Project cache folder: UTF-8 copies of transcoded files, quarantined rows. */
  readonly cacheDir: string;
  /** Where relative file locations start (the project folder); the process cwd otherwise. */
  readonly cwd?: string;
}
