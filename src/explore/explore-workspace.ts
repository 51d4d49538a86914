import { join } from 'node:path';
import type { Workspace } from '../workspace/open-workspace.js';
import type { Engine } from '../engine/engine.js';
import type { ActionKind, ResolvedInput } from '../orchestrate/action-kind.js';
import { runAction } from '../orchestrate/run-action.js';
import { actionFingerprint } from '../orchestrate/fingerprint.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import { connectAndRecord, type ConnectEnv } from '../sources/record-source.js';
import { openSourceEngine } from '../sources/open-source-engine.js';
import type { SourceTable } from '../sources/source.js';
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
const PROFILE_KIND = 'explore.profile';
// 3: sample statistics, semantic types, PII, key candidates, time index, alerts.
const PROFILE_VERSION = '3';

export interface ProfileRecord {
  readonly fingerprint: string;
  readonly rows: number;
  /** Content address of the profile in the object store. */
  readonly output: string;
  /** The action fingerprint that produced it (the input of downstream actions). */
  readonly action: string;
}

export interface RelationshipsRecord {
  readonly tables: readonly string[];
  readonly relationships: readonly Relationship[];
}

export interface ExploreOptions {
  /** Only this source; all sources otherwise. Relationships always span every source. */
  readonly source?: string;
  /** Sources the caller has just connected: their tables are current, skip re-discovery. */
  readonly refreshed?: ReadonlySet<string>;
  readonly onProgress?: (e: { done: number; total: number; label: string }) => void;
}

export interface ExploreOutcome {
  readonly profiles: ReadonlyArray<TableProfile & { reused: boolean; seq: number }>;
  readonly profiled: number;
  readonly reused: number;
  readonly relationships: readonly Relationship[];
  readonly relationshipsReused: boolean;
}

interface Work {
  readonly source: string;
  readonly record: SourceRecord;
  readonly table: SourceTable;
}

/**
 * Explore: refresh each source's tables (cheap fingerprints; a changed file is discovered
 * again), one `explore.profile` action per table, then one `explore.relate` action across
 * every profiled table of every source. Unchanged tables reuse their profiles, and unchanged
 * profiles reuse the relationships; engines are opened only when something must run.
 */
export async function exploreWorkspace(ws: Workspace, env: ConnectEnv, options: ExploreOptions = {}): Promise<ExploreOutcome> {
  const ledger = await ws.ledger();
  const all = await ledger.listState<SourceRecord>(SOURCES);
  const selected = all.filter((s) => !options.source || s.key === options.source);
  if (selected.length === 0) {
    throw new FathomError('usage', options.source ? `No source named ${options.source}` : 'No sources connected yet', {
      hint: options.source ? 'List them with `fathom sources`.' : 'Connect one first: fathom connect NAME LOCATION',
    });
  }
  const work: Work[] = [];
  for (const s of all) {
    const chosen = selected.includes(s);
    // Re-discovery is the incremental step: unchanged data keeps its fingerprints.
    if (chosen && !options.refreshed?.has(s.key)) {
      // Stored locations are relative to the project, not to wherever the command ran.
      const refresh = { ...env, cwd: ws.paths.root };
      await connectAndRecord(ws, { name: s.key, location: s.value.location, options: s.value.options }, refresh).catch((err: unknown) => {
        throw refreshFailed(s.key, s.value.location, err);
      });
    }
    const record = (await ledger.getState<SourceRecord>(SOURCES, s.key))!.value;
    for (const name of record.tables) {
      const table = (await ledger.getState<SourceTable>(TABLES, tableKey(s.key, name)))!.value;
      work.push({ source: s.key, record, table });
    }
  }
  const engines = new Map<string, Promise<Engine>>();
  const engineFor = (source: string): Promise<Engine> => {
    let e = engines.get(source);
    if (!e) {
      const w = work.find((x) => x.source === source)!;
      const tables = work.filter((x) => x.source === source).map((x) => x.table);
      e = openSourceEngine(w.record, tables, { root: ws.paths.root, vault: () => ws.vault(env.stdin), duckdb: ws.config.engine, tempDirectory: join(ws.paths.cache, 'duckdb-tmp') });
      engines.set(source, e);
    }
    return e;
  };
  const profiles: Array<TableProfile & { reused: boolean; seq: number }> = [];
  const toProfile = work.filter((w) => selected.some((s) => s.key === w.source));
  const total = toProfile.length + 1;
  const run = await ws.runContext(env.log);
  try {
    for (const [i, w] of toProfile.entries()) {
      options.onProgress?.({ done: i, total, label: `profile ${w.source}.${w.table.name}` });
      const params = { source: w.source, table: w.table.name };
      // Downstream actions name this profile by its action fingerprint, known before it runs.
      const action = actionFingerprint({ kind: PROFILE_KIND, version: PROFILE_VERSION, params, inputs: [w.table.fingerprint], metadataVersion: run.metadataVersion ?? null });
      const kind: ActionKind<{ source: string; table: string }, TableProfile> = {
        kind: PROFILE_KIND,
        version: PROFILE_VERSION,
        run: async () => profileTable(await engineFor(w.source), w.table),
        project: (value, params) => [{ collection: PROFILES, key: tableKey(params.source, params.table), value: { fingerprint: w.table.fingerprint, rows: value.rows, output: hashJson(value), action } }],
      };
      const result = await runAction(run, kind, params, [{ fingerprint: w.table.fingerprint }]);
      profiles.push({ ...result.value, reused: result.reused, seq: result.seq });
    }

    // Relationships span every table with a current profile, of every source.
    options.onProgress?.({ done: toProfile.length, total, label: 'relationships' });
    const current: Array<{ key: string; record: ProfileRecord; work: Work }> = [];
    for (const w of work) {
      const row = await ledger.getState<ProfileRecord>(PROFILES, tableKey(w.source, w.table.name));
      if (row && row.value.fingerprint === w.table.fingerprint && row.value.output) current.push({ key: tableKey(w.source, w.table.name), record: row.value, work: w });
    }
    const inputs: ResolvedInput[] = current.map((c) => ({ fingerprint: c.record.action }));
    const relate: ActionKind<{ tables: string[] }, RelationshipsRecord> = {
      kind: 'explore.relate',
      version: '1',
      run: async (_ctx, params) => {
        const tables = await Promise.all(current.map((c) => ws.objects().then((o) => o.getJson<TableProfile>(c.record.output))));
        const byProfile = new Map(tables.map((t, i) => [t, current[i]!.work]));
        const fetch = valueFetcher((t) => engineFor(byProfile.get(t)!.source), (t) => byProfile.get(t)!.table.ref);
        return { tables: params.tables, relationships: await inferRelationships(tables, fetch) };
      },
      project: (value) => [{ collection: RELATIONSHIPS, key: RELATIONSHIPS_KEY, value }],
    };
    const related = await runAction(run, relate, { tables: current.map((c) => c.key) }, inputs);
    options.onProgress?.({ done: total, total, label: 'done' });
    return {
      profiles,
      profiled: profiles.filter((p) => !p.reused).length,
      reused: profiles.filter((p) => p.reused).length,
      relationships: related.value.relationships,
      relationshipsReused: related.reused,
    };
  } finally {
    for (const e of engines.values()) await e.then((engine) => engine.close(), () => undefined);
  }
}

/** A source that could be read at connect time and no longer can: say which, and how to move it. */
function refreshFailed(name: string, location: string, thrown: unknown): unknown {
  if (!(thrown instanceof FathomError)) return thrown;
  const move = `If the data moved: fathom connect ${name} NEW_LOCATION --replace`;
  return new FathomError(thrown.kind, `Source ${name} (${location}): ${thrown.message}`, {
    hint: thrown.hint ? `${thrown.hint} ${move}` : move,
    cause: thrown,
    ...(thrown.context ? { context: { ...thrown.context } } : {}),
  });
}
