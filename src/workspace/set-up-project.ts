import { configureStores } from './configure-stores.js';
import { initWorkspace, type InitResult } from './init-workspace.js';
import { describeMetadata, openWorkspace } from './open-workspace.js';

export interface ProjectSetUp extends InitResult {
  /** Where the metadata database is: the SQLite file, or the Postgres URL and schema. */
  readonly ledger: string;
  readonly objects: string;
  /** The ledger's head: 0 for a new project, more for one that existed. */
  readonly headSeq: number;
}

/**
 * Create a project (`fathom init`), point it at its metadata database and object store when
 * given, and open its ledger once, so the database exists and its migrations ran before any
 * worker joins. An existing project is left as it is, apart from the stores given.
 */
export async function setUpProject(
  dir: string,
  options: { readonly name?: string; readonly metadata?: string; readonly objects?: string },
  io: { env: NodeJS.ProcessEnv; cwd: string; stdin: NodeJS.ReadableStream & { isTTY?: boolean } },
): Promise<ProjectSetUp> {
  const result = await initWorkspace(dir, options.name ? { project: options.name } : {});
  if (options.metadata !== undefined || options.objects !== undefined)
    await configureStores(result.root, io, { metadata: options.metadata, objects: options.objects });
  const ws = await openWorkspace(result.root, { env: io.env });
  try {
    const head = await (await ws.ledger()).head();
    return { ...result, ledger: describeMetadata(ws.config, ws.paths), objects: ws.paths.objects, headSeq: head.seq };
  } finally {
    await ws.close();
  }
}
