import { join } from 'node:path';
import type { ActionContext } from '../orchestrate/action-kind.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import { openSourceEngine } from '../sources/open-source-engine.js';
import type { SourceTable } from '../sources/source.js';
import type { Engine } from '../engine/engine.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { FathomError } from '../util/fathom-error.js';

/** What explore actions share: the workspace they run in, its tables and their engines. */

export function workspaceOf(ctx: ActionContext): Workspace {
  if (!ctx.workspace)
    throw new FathomError('failed', 'explore actions run inside a workspace', {
      hint: 'Run them through fathom explore or fathom worker in the project folder.',
    });
  return ctx.workspace;
}

export async function sourceTable(
  ws: Workspace,
  source: string,
  name: string,
): Promise<{ record: SourceRecord; table: SourceTable }> {
  const ledger = await ws.ledger();
  const record = (await ledger.getState<SourceRecord>(SOURCES, source))?.value;
  const table = (await ledger.getState<SourceTable>(TABLES, tableKey(source, name)))?.value;
  if (!record || !table)
    throw new FathomError('not_found', `No table ${tableKey(source, name)} in this workspace`, {
      hint: 'Connect the source first: fathom connect NAME LOCATION',
    });
  return { record, table };
}

export function openEngine(ws: Workspace, record: SourceRecord, tables: readonly SourceTable[]): Promise<Engine> {
  // Workers have no terminal: a vaulted password needs FATHOM_MASTER_KEY or a passphrase env.
  return openSourceEngine(record, tables, {
    root: ws.paths.root,
    vault: () => ws.vault(process.stdin),
    duckdb: ws.config.engine,
    tempDirectory: join(ws.paths.cache, 'duckdb-tmp'),
  });
}
