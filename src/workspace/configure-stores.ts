import { isAbsolute, resolve } from 'node:path';
import { badInput } from '../util/fathom-error.js';
import { isPostgresUrl } from './config.js';
import { setConfigValue } from './edit-config-file.js';
import { openWorkspace } from './open-workspace.js';

/** The vault name of the metadata database's password. */
export const METADATA_SECRET = 'fathom-metadata';

/**
 * Point a project at its metadata database and object store (fathom.yaml `metadata:` and
 * `objects:`). A password in a Postgres URL is moved into the vault and the URL kept without
 * it, so it never reaches fathom.yaml, the ledger or a log line.
 */
export async function configureStores(
  root: string,
  io: { env: NodeJS.ProcessEnv; cwd: string; stdin: NodeJS.ReadableStream & { isTTY?: boolean } },
  want: { metadata?: string | undefined; objects?: string | undefined },
): Promise<void> {
  if (want.metadata !== undefined) {
    if (isPostgresUrl(want.metadata)) {
      let url: URL;
      try {
        url = new URL(want.metadata);
      } catch {
        throw badInput('--metadata is not a valid postgres:// URL', 'write it as postgres://user@host:5432/database');
      }
      const password = decodeURIComponent(url.password);
      url.password = '';
      const section: Record<string, string> = { store: 'postgres', url: url.toString() };
      if (password !== '') {
        const ws = await openWorkspace(root, { env: io.env });
        try {
          section.credential = await (await ws.vault(io.stdin)).set(METADATA_SECRET, password);
        } finally {
          await ws.close();
        }
      }
      await setConfigValue(root, ['metadata'], section);
    } else {
      await setConfigValue(root, ['metadata'], {
        store: 'sqlite',
        path: isAbsolute(want.metadata) ? want.metadata : resolve(io.cwd, want.metadata),
      });
    }
  }
  if (want.objects !== undefined) await setConfigValue(root, ['objects'], { path: resolve(io.cwd, want.objects) });
}
