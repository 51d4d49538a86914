import type { ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import { tableKey, type SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import type { Engine } from '../engine/engine.js';
import { FathomError } from '../util/fathom-error.js';
import { hashJson } from '../util/hash.js';
import type { Relationship } from '../catalog/catalog.js';
import { profileTable, type TableProfile } from './profile-table.js';
import { inferRelationships } from './relationships.js';
import { valueFetcher } from './relate-values.js';
import { openEngine, sourceTable, workspaceOf } from './explore-context.js';

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
  subject: (p) => tableKey(p.source, p.table),
  // 3: sample statistics, semantic types, PII, key candidates, time index, alerts.
  // 4: PII masked by the report's idempotent masking (one function for catalog and report).
  version: '4',
  async run(ctx, params, inputs) {
    const ws = workspaceOf(ctx);
    const { record, table } = await sourceTable(ws, params.source, params.table);
    const planned = inputs[0]?.fingerprint;
    if (planned !== undefined && planned !== table.fingerprint) {
      throw new FathomError(
        'failed',
        `${tableKey(params.source, params.table)} changed after this action was planned`,
        { hint: 'Run fathom explore again: it plans against the current data.' },
      );
    }
    const engine = await openEngine(ws, record, [table]);
    try {
      return { ...(await profileTable(engine, table)), dataFingerprint: table.fingerprint };
    } finally {
      await engine.close();
    }
  },
  project: (value, params) => [
    {
      collection: PROFILES,
      key: tableKey(params.source, params.table),
      value: { fingerprint: value.dataFingerprint ?? null, rows: value.rows, output: hashJson(value) },
    },
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
  // One relationship inference spans every profiled table.
  subject: () => 'all',
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
      return {
        tables: params.tables,
        relationships: await inferRelationships(
          profiles,
          valueFetcher(engineFor, (p) => resolved.get(p)!.table.ref),
        ),
      };
    } finally {
      for (const e of engines.values())
        await e.then(
          (engine) => engine.close(),
          () => undefined,
        );
    }
  },
  project: (value) => [{ collection: RELATIONSHIPS, key: RELATIONSHIPS_KEY, value }],
});
