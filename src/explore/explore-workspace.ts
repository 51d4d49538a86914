import { join } from 'node:path';
import type { Workspace } from '../workspace/open-workspace.js';
import type { Engine } from '../engine/engine.js';
import type { ActionKind } from '../orchestrate/action-kind.js';
import { runAction } from '../orchestrate/run-action.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import { connectAndRecord, type ConnectEnv } from '../sources/record-source.js';
import { openSourceEngine } from '../sources/open-source-engine.js';
import type { SourceTable } from '../sources/source.js';
import { FathomError } from '../util/fathom-error.js';
import { profileTable, type TableProfile } from './profile-table.js';

export const PROFILES = 'profiles';

export interface ExploreOptions {
  /** Only this source; all sources otherwise. */
  readonly source?: string;
  /** Sources the caller has just connected: their tables are current, skip re-discovery. */
  readonly refreshed?: ReadonlySet<string>;
  readonly onProgress?: (e: { done: number; total: number; label: string }) => void;
}

export interface ExploreOutcome {
  readonly profiles: ReadonlyArray<TableProfile & { reused: boolean; seq: number }>;
  readonly profiled: number;
  readonly reused: number;
}

/**
 * Explore every table: refresh each source's tables (cheap fingerprints; a changed file is
 * discovered again), then one `explore.profile` action per table. A table whose fingerprint
 * did not change reuses its profile; its engine is never even opened.
 */
export async function exploreWorkspace(ws: Workspace, env: ConnectEnv, options: ExploreOptions = {}): Promise<ExploreOutcome> {
  const ledger = await ws.ledger();
  const sources = (await ledger.listState<SourceRecord>(SOURCES)).filter((s) => !options.source || s.key === options.source);
  if (sources.length === 0) {
    throw new FathomError('usage', options.source ? `No source named ${options.source}` : 'No sources connected yet', {
      hint: options.source ? 'List them with `fathom sources`.' : 'Connect one first: fathom connect NAME LOCATION',
    });
  }
  const work: Array<{ source: string; record: SourceRecord; table: SourceTable }> = [];
  for (const s of sources) {
    // Re-discovery is the incremental step: unchanged data keeps its fingerprints.
    if (!options.refreshed?.has(s.key)) {
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
  const engineFor = (source: string, record: SourceRecord) => {
    let e = engines.get(source);
    if (!e) {
      const tables = work.filter((w) => w.source === source).map((w) => w.table);
      e = openSourceEngine(record, tables, { root: ws.paths.root, vault: () => ws.vault(env.stdin), duckdb: ws.config.engine, tempDirectory: join(ws.paths.cache, 'duckdb-tmp') });
      engines.set(source, e);
    }
    return e;
  };
  const profiles: Array<TableProfile & { reused: boolean; seq: number }> = [];
  const run = await ws.runContext(env.log);
  try {
    for (const [i, w] of work.entries()) {
      options.onProgress?.({ done: i, total: work.length, label: `${w.source}.${w.table.name}` });
      const kind: ActionKind<{ source: string; table: string }, TableProfile> = {
        kind: 'explore.profile',
        // 2: exact distinct counts up to EXACT_DISTINCT_MAX_CELLS; version 1 profiles had estimates.
        version: '2',
        run: async () => profileTable(await engineFor(w.source, w.record), w.table),
        project: (value, params) => [{ collection: PROFILES, key: tableKey(params.source, params.table), value: { fingerprint: w.table.fingerprint, rows: value.rows } }],
      };
      const result = await runAction(
        run,
        kind,
        { source: w.source, table: w.table.name },
        [{ fingerprint: w.table.fingerprint }],
      );
      profiles.push({ ...result.value, reused: result.reused, seq: result.seq });
    }
    options.onProgress?.({ done: work.length, total: work.length, label: 'done' });
  } finally {
    for (const e of engines.values()) await e.then((engine) => engine.close(), () => undefined);
  }
  return { profiles, profiled: profiles.filter((p) => !p.reused).length, reused: profiles.filter((p) => p.reused).length };
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
