import type { Workspace } from '../workspace/open-workspace.js';
import { resolve } from 'node:path';
import { connectSource } from './connect/connect-source.js';
import { detectSource } from './connect/detect-source.js';
import { TABLES, type SourceRecord } from './source-actions.js';
import type { SourceConfig, SourceTable } from './source.js';
import type { VaultRef } from '../workspace/vault/vault.js';

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

/**
 * A connected source's tables as they are now, with their data fingerprints, recording
 * nothing: what `fathom plan` compares with what the ledger recorded. Tables whose data did
 * not change keep the facts discovered before (known by fingerprint).
 */
export async function discoverTables(
  ws: Workspace,
  name: string,
  record: SourceRecord,
  stdin: Stdin,
): Promise<SourceTable[]> {
  const source: SourceConfig = {
    name,
    kind: record.kind,
    location: record.location,
    ...(record.credential ? { credential: record.credential as VaultRef } : {}),
    options: record.options,
  };
  const secret = record.credential ? await (await ws.vault(stdin)).get(record.credential as VaultRef) : undefined;
  const known = new Map<string, SourceTable>();
  for (const row of await (await ws.ledger()).listState<SourceTable>(TABLES)) {
    if (row.value.source === name) known.set(row.value.fingerprint, row.value);
  }
  const { tables } = await connectSource(source, {
    ...(secret !== undefined ? { secret } : {}),
    cacheDir: ws.paths.cache,
    cwd: ws.paths.root,
    known,
  });
  return tables;
}

/**
 * A location's tables as connecting it would discover them, recording nothing (fathom plan
 * of data not connected yet). A password in a postgres:// URL is used, never kept.
 */
export async function discoverLocation(
  ws: Workspace,
  name: string,
  location: string,
  cwd: string,
): Promise<{ record: SourceRecord; tables: SourceTable[] }> {
  const detected = await detectSource(location, { cwd });
  const where = detected.kind === 'postgres' ? detected.location : resolve(cwd, detected.location);
  const source: SourceConfig = { name, kind: detected.kind, location: where, options: {} };
  const { tables } = await connectSource(source, {
    ...(detected.password !== undefined ? { secret: detected.password } : {}),
    cacheDir: ws.paths.cache,
    cwd,
    known: new Map(),
  });
  return {
    record: { kind: detected.kind, location: where, credential: null, options: {}, tables: tables.map((t) => t.name) },
    tables,
  };
}
