import type { Workspace } from '../workspace/open-workspace.js';
import type { Columns } from '../engine/read-columns.js';
import { readColumns } from '../engine/read-columns.js';
import type { Engine, SqlValue, TableRef } from '../engine/engine.js';
import { openEngine, sourceTable } from '../explore/explore-context.js';
import { badInput, FathomError } from '../util/fathom-error.js';
import { ENTITIES_SLOT, entitiesSql, matrixColumnAlias } from './compile-matrix.js';
import type { CutoffSpec } from '../catalog/feature-types.js';

/**
 * How to compute a model's features for new entities at prediction time: the same feature SQL
 * as training, reading the entities (their keys and cutoffs) instead of the target table's rows.
 * Saved in the model card, so serving needs no synthesis code, only this and the sources.
 */
export interface ScoringPlan {
  readonly format: 'fathom.scoring-plan/1';
  readonly source: string;
  readonly table: string;
  /** Tables the query reads. */
  readonly tables: readonly string[];
  readonly key: readonly string[];
  /** SQL types the entity keys are cast to (the key columns' own). */
  readonly keyTypes: readonly string[];
  readonly cutoff: CutoffSpec;
  /**
   * When training cut off at the data's snapshot (a time index rows begin at, not end at), the
   * child tables and time indexes that say how far the data goes now: an entity without a
   * cutoff is scored as of the current snapshot, not of the clock, since data that stopped
   * months ago would make every recency feature months larger than anything seen in training.
   */
  readonly snapshot?: ReadonlyArray<{ readonly table: string; readonly ref: TableRef; readonly column: string }>;
  readonly features: readonly string[];
  /** The query, its entities CTE body left as ENTITIES_SLOT. */
  readonly sql: string;
}

/** What values an entity key of this SQL type takes: integers, numbers, or text. */
export function keyKind(sqlType: string): 'integer' | 'number' | 'text' {
  return /int/i.test(sqlType) ? 'integer' : /numeric|decimal|double|real|float/i.test(sqlType) ? 'number' : 'text';
}

export interface Entity {
  /** Key values, in the order of `plan.key`. */
  readonly key: readonly SqlValue[];
  /** ISO instant; default now, or the data's current snapshot when the plan has one (null with no cutoff). */
  readonly cutoff?: string | null;
}

/**
 * Compute the plan's features for entities, in their order: one row per entity, keys first.
 * An entity the target table does not hold still gets its child-table features.
 */
export async function scoreEntities(
  ws: Workspace,
  plan: ScoringPlan,
  entities: readonly Entity[],
  now: Date = new Date(),
): Promise<Columns> {
  const engine = await openScoringEngine(ws, plan);
  try {
    return await scoreEntitiesWith(engine, plan, entities, now);
  } finally {
    await engine.close();
  }
}

/** An engine over the plan's tables, for callers that score many times (a server, a batch). */
export async function openScoringEngine(ws: Workspace, plan: ScoringPlan): Promise<Engine> {
  const found = await Promise.all(plan.tables.map((t) => sourceTable(ws, plan.source, t)));
  return openEngine(
    ws,
    found[0]!.record,
    found.map((f) => f.table),
  );
}

/** scoreEntities on an engine the caller opened (openScoringEngine) and closes. */
export async function scoreEntitiesWith(
  engine: Engine,
  plan: ScoringPlan,
  entities: readonly Entity[],
  now: Date = new Date(),
): Promise<Columns> {
  if (entities.length === 0) throw badInput('No entities to score', 'Pass at least one entity key.');
  for (const [i, e] of entities.entries()) {
    if (e.key.length !== plan.key.length)
      throw badInput(
        `Entity ${i + 1} has ${e.key.length} key values; ${plan.table} is keyed by ${plan.key.join(', ')}`,
        `Give ${plan.key.length} value(s) per entity.`,
      );
  }
  const asOf =
    plan.snapshot && entities.some((e) => e.cutoff === undefined || e.cutoff === null)
      ? await snapshotTime(engine, plan.snapshot, now)
      : now;
  const rows = entities.map((e) => ({ key: e.key, cutoff: cutoffSeconds(plan.cutoff, e.cutoff, asOf) }));
  const body = entitiesSql(plan.keyTypes, rows);
  const read = await readColumns(engine, plan.sql.replace(ENTITIES_SLOT, body.sql), body.params);
  // Columns come back under their aliases (long names on Postgres); callers know features by name.
  const names = new Map([...plan.key, ...plan.features].map((n) => [matrixColumnAlias(engine.dialect, n), n]));
  return { ...read, columns: read.columns.map((c) => ({ ...c, name: names.get(c.name) ?? c.name })) };
}

/**
 * The data's snapshot now, as training defined it: the midnight after the latest event of the
 * given tables, but never later than `now` (live data keeps its clock).
 */
export async function snapshotTime(
  engine: Engine,
  tables: NonNullable<ScoringPlan['snapshot']>,
  now: Date,
): Promise<Date> {
  const d = engine.dialect;
  let latest = Number.NEGATIVE_INFINITY;
  for (const t of tables) {
    const r = (
      await engine.query(`SELECT MAX(${d.epochSeconds(d.quoteIdent(t.column))}) AS l FROM ${d.quoteTable(t.ref)}`)
    ).rows[0];
    if (r && r.l !== null && r.l !== undefined) latest = Math.max(latest, Number(r.l));
  }
  if (!Number.isFinite(latest)) return now;
  const midnight = (Math.floor(latest / 86_400) + 1) * 86_400_000;
  return new Date(Math.min(midnight, now.getTime()));
}

function cutoffSeconds(spec: CutoffSpec, given: string | null | undefined, now: Date): number | null {
  if (spec.kind === 'none') return null;
  if (given === undefined || given === null) return now.getTime() / 1000;
  const ms = Date.parse(given);
  if (Number.isNaN(ms))
    throw new FathomError('bad_input', `Cutoff ${JSON.stringify(given)} is not a date or time`, {
      hint: 'Write it as ISO 8601, e.g. 2025-06-30T00:00:00Z.',
    });
  return ms / 1000;
}
