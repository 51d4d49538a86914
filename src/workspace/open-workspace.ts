import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from './config.js';
import { CONFIG_FILE, readConfigFile, resolveConfig, type ConfigFlags } from './resolve-config.js';
import { workspacePaths, type WorkspacePaths } from './workspace-paths.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { ObjectStore } from '../ledger/object-store.js';
import type { Vault } from './vault/vault.js';
import { FathomError } from '../util/fathom-error.js';

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

/**
 * The context passed everywhere: the frozen config, the paths, and lazily opened stores.
 * Nothing opens a database until it is first asked for, so `fathom --help` stays instant.
 */
export interface Workspace {
  readonly config: Config;
  readonly paths: WorkspacePaths;
  ledger(): Promise<LedgerStore>;
  objects(): Promise<ObjectStore>;
  /**
   * The credential vault. Opening it needs the master key (FATHOM_MASTER_KEY, or a passphrase
   * from FATHOM_VAULT_PASSPHRASE or typed at the terminal), so only commands that handle
   * credentials call this.
   */
  vault(stdin: Stdin): Promise<Vault>;
  close(): Promise<void>;
}

/**
 * The metadata database the config names: the SQLite file, or the Postgres ledger with its
 * password from the vault (never from fathom.yaml). Drivers load only when used.
 */
async function openLedger(config: Config, paths: WorkspacePaths, vault: () => Promise<Vault>): Promise<LedgerStore> {
  const m = config.metadata;
  if (m.store === 'postgres' && m.url !== undefined) {
    const password = m.credential === undefined ? undefined : await (await vault()).get(m.credential);
    const { openPostgresLedger } = await import('../ledger/postgres/postgres-ledger-store.js');
    return openPostgresLedger({
      url: m.url,
      ...(password === undefined ? {} : { password }),
      ...(m.schema === undefined ? {} : { schema: m.schema }),
    });
  }
  const { openSqliteLedger } = await import('../ledger/sqlite/sqlite-ledger-store.js');
  return openSqliteLedger(paths.ledger);
}

/** Where the metadata lives, safe to print (no password). */
export function describeMetadata(config: Config, paths: WorkspacePaths): string {
  const m = config.metadata;
  return m.store === 'postgres' ? `${m.url ?? ''} (schema ${m.schema ?? 'fathom'})` : paths.ledger;
}

/** Find the project folder: `dir` itself, or the nearest ancestor holding fathom.yaml. */
export function findProjectRoot(dir: string): string | undefined {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, CONFIG_FILE))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

export async function openWorkspace(
  dir: string,
  options: { env?: NodeJS.ProcessEnv; flags?: ConfigFlags } = {},
): Promise<Workspace> {
  const root = findProjectRoot(dir);
  if (!root) {
    throw new FathomError('not_found', `No Fathom project in ${resolve(dir)} or any folder above it`, {
      hint: 'Run `fathom init` here first, or pass --project DIR.',
    });
  }
  const config = resolveConfig(root, await readConfigFile(root), options.env ?? {}, options.flags ?? {});
  return workspaceFromConfig(config, options.env ?? {});
}

/** `env` is kept only to find the vault's master key; settings come from `config`. */
export function workspaceFromConfig(config: Config, env: NodeJS.ProcessEnv = {}): Workspace {
  const paths = workspacePaths(config);
  let ledger: Promise<LedgerStore> | undefined;
  let objects: Promise<ObjectStore> | undefined;
  let vault: Promise<Vault> | undefined;
  return {
    config,
    paths,
    ledger() {
      // A failed open is forgotten, so a caller may retry (a worker waiting for Postgres).
      ledger ??= openLedger(config, paths, () => this.vault(process.stdin)).catch((thrown: unknown) => {
        ledger = undefined;
        throw thrown;
      });
      return ledger;
    },
    objects() {
      objects ??= import('../ledger/open-object-store.js').then((m) => m.openObjectStore(paths.objects));
      return objects;
    },
    vault(stdin) {
      vault ??= import('./vault/open-workspace-vault.js').then((m) => m.openWorkspaceVault(paths.vault, env, stdin));
      return vault;
    },
    async close() {
      if (ledger) await (await ledger.catch(() => undefined))?.close();
    },
  };
}
