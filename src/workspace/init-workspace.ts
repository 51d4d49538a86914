import { existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { atomicWrite } from '../util/atomic-write.js';
import { FathomError } from '../util/fathom-error.js';
import { CONFIG_FILE } from './resolve-config.js';

const TEMPLATE = (project: string) => `# Fathom project. Sources and settings only: secrets live in the encrypted vault
# (.fathom/vault.json) and appear here as vault:NAME references.
version: 1
project: ${JSON.stringify(project)}
# metadata:            # the central metadata database (hash-chained ledger)
#   store: sqlite
#   path: .fathom/ledger.db
# engine:
#   kind: duckdb        # embedded; database sources push SQL down to themselves
#   threads: 2
#   memoryLimit: 4GB
# sources:             # added by \`fathom connect NAME LOCATION\`
`;

export interface InitResult {
  readonly root: string;
  readonly created: boolean;
  readonly configFile: string;
}

/**
 * Create a project folder: fathom.yaml, and .fathom/ for the metadata DB, the object store,
 * the cache and the vault. Idempotent: an existing project is left as it is.
 */
export async function initWorkspace(dir: string, options: { project?: string } = {}): Promise<InitResult> {
  const root = resolve(dir);
  const configFile = join(root, CONFIG_FILE);
  if (existsSync(root) && !(await isDirectory(root))) {
    throw new FathomError('bad_input', `${root} exists and is not a folder`, {
      hint: 'Pick another path for the project.',
    });
  }
  await mkdir(join(root, '.fathom', 'objects'), { recursive: true });
  await mkdir(join(root, '.fathom', 'cache'), { recursive: true });
  const created = !existsSync(configFile);
  if (created) await atomicWrite(configFile, TEMPLATE(options.project ?? (basename(root) || 'fathom-project')));
  await ensureIgnored(root);
  return { root, created, configFile };
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}

/** Keep the metadata DB, objects and vault out of git by default. */
async function ensureIgnored(root: string): Promise<void> {
  const path = join(root, '.fathom', '.gitignore');
  if (!existsSync(path)) await writeFile(path, '*\n');
}
