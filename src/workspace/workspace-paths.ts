import { isAbsolute, join } from 'node:path';
import type { Config } from './config.js';

export interface WorkspacePaths {
  readonly root: string;
  readonly configFile: string;
  readonly stateDir: string;
  readonly ledger: string;
  readonly objects: string;
  readonly vault: string;
  readonly cache: string;
}

/** Every path the workspace writes, derived from the resolved config. */
export function workspacePaths(config: Config): WorkspacePaths {
  const abs = (p: string) => (isAbsolute(p) ? p : join(config.root, p));
  // A store URL (a bucket) is not a path under the project.
  const location = (p: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) ? p : abs(p));
  return Object.freeze({
    root: config.root,
    configFile: join(config.root, 'fathom.yaml'),
    stateDir: join(config.root, '.fathom'),
    ledger: abs(config.metadata.path),
    objects: location(config.objects.path),
    vault: abs(config.vault.path),
    cache: abs(config.cache.path),
  });
}
