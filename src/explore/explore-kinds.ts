import { join } from 'node:path';
import type { ActionContext, ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import { openSourceEngine } from '../sources/open-source-engine.js';
import type { SourceTable } from '../sources/source.js';
import type { Engine } from '../engine/engine.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { FathomError } from '../util/fathom-error.js';
import { hashJson } from '../util/hash.js';
import type { Relationship } from './catalog.js';
import { profileTable, type TableProfile } from './profile-table.js';
import { inferRelationships } from './relationships.js';
import { valueFetcher } from './relate-values.js';

/** Projected collections: a table's latest profile (by output hash) and the relationships. */
export const PROFILES = 'profiles';
export const RELATIONSHIPS = 'relationships';
export const RELATIONSHIPS_KEY = 'all';

export interface ProfileRecord {
  /** The table's data fingerprint the profile describes. */
  readonly fingerprint: string;
  readonly rows: number;
  /** Content address of the profile in the object store. */
  readonly output: string;
}

export interface RelationshipsRecord {
  readonly tables: readonly string[];
  readonly relationships: readonly Relationship[];
}

export interface ProfileParams {
  readonly source: string;
  readonly table: string;
}

/**
 * Params name a table; the table itself (location, columns, data fingerprint) is read from
 * the workspace where the action runs, so a worker on another machine that opened the same
 * project profiles the same data. Data that changed after planning is refused, not profiled
 * under the old fingerprint.
 */
export const profileKind: ActionKind<ProfileParams, TableProfile> = registerActionKind({
  kind: 'explore.profile',
  // 3: sample statistics, semantic types, PII, key candidates, time index, alerts.
  // 4: PII masked by the report's idempotent masking (one function for catalog and report).
  version: '4',
  async run(ctx, params, inputs) {
    const ws = workspaceOf(ctx);
    const { record, table } = await sourceTable(ws, params.source, params.table);
    const planned = inputs[0]?.fingerprint;
    if (planned !== undefined && planned !== table.fingerprint) {
      throw new FathomError('failed', `${tableKey(params.source, params.table)} changed after this action was planned`, { hint: 'Run fathom explore again: it plans against the current data.' });
    }
    const engine = await openEngine(ws, record, [table]);
    try {
      return { ...(await profileTable(engine, table)), dataFingerprint: table.fingerprint };
    } finally {
      await engine.close();
    }
  },
  project: (value, params) => [
    { collection: PROFILES, key: tableKey(params.source, params.table), value: { fingerprint: value.dataFingerprint ?? null, rows: value.rows, output: hashJson(value) } },
  ],
});

export interface RelateParams {
  /** `source.table` keys, in the order of the profile inputs. */
  readonly tables: readonly string[];
}

/** Relationships across every profiled table of every source; the profiles are its inputs. */
export const relateKind: ActionKind<RelateParams, RelationshipsRecord> = registerActionKind({
  kind: 'explore.relate',
  version: '1',
  async run(ctx, params, inputs) {
    const ws = workspaceOf(ctx);
    const profiles = inputs.map((i) => i.value as TableProfile);
    // Each profiled table as the workspace records it, read once: its ref for value queries,
    // and its source's record and tables for that source's engine.
    const resolved = new Map<TableProfile, { record: SourceRecord; table: SourceTable }>();
    for (const p of profiles) resolved.set(p, await sourceTable(ws, p.source, p.table));
    const engines = new Map<string, Promise<Engine>>();
    const engineFor = (p: TableProfile): Promise<Engine> => {
      let e = engines.get(p.source);
      if (!e) {
        const tables = profiles.filter((x) => x.source === p.source).map((x) => resolved.get(x)!.table);
        e = openEngine(ws, resolved.get(p)!.record, tables);
        engines.set(p.source, e);
      }
      return e;
    };
    try {
      return { tables: params.tables, relationships: await inferRelationships(profiles, valueFetcher(engineFor, (p) => resolved.get(p)!.table.ref)) };
    } finally {
      for (const e of engines.values()) await e.then((engine) => engine.close(), () => undefined);
    }
  },
  project: (value) => [{ collection: RELATIONSHIPS, key: RELATIONSHIPS_KEY, value }],
});

function workspaceOf(ctx: ActionContext): Workspace {
  if (!ctx.workspace) throw new FathomError('failed', 'explore actions run inside a workspace', { hint: 'Run them through fathom explore or fathom worker in the project folder.' });
  return ctx.workspace;
}

async function sourceTable(ws: Workspace, source: string, name: string): Promise<{ record: SourceRecord; table: SourceTable }> {
  const ledger = await ws.ledger();
  const record = (await ledger.getState<SourceRecord>(SOURCES, source))?.value;
  const table = (await ledger.getState<SourceTable>(TABLES, tableKey(source, name)))?.value;
  if (!record || !table) throw new FathomError('not_found', `No table ${tableKey(source, name)} in this workspace`, { hint: 'Connect the source first: fathom connect NAME LOCATION' });
  return { record, table };
}

function openEngine(ws: Workspace, record: SourceRecord, tables: readonly SourceTable[]): Promise<Engine> {
  // Workers have no terminal: a vaulted password needs FATHOM_MASTER_KEY or a passphrase env.
  return openSourceEngine(record, tables, { root: ws.paths.root, vault: () => ws.vault(process.stdin), duckdb: ws.config.engine, tempDirectory: join(ws.paths.cache, 'duckdb-tmp') });
}
