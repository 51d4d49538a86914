import type { ActionKind } from '../../orchestrate/action-kind.js';
import { registerActionKind } from '../../orchestrate/action-registry.js';
import { planAction, type PlannedAction } from '../../orchestrate/plan.js';
import { tableKey, type SourceRecord } from '../../sources/source-actions.js';
import type { SourceTable } from '../../sources/source.js';
import type { Engine } from '../../engine/engine.js';
import type { ReviewedFacts } from '../../catalog/reviewed-facts.js';
import { FathomError } from '../../util/fathom-error.js';
import { openEngine, sourceTable, workspaceOf } from '../explore-context.js';
import type { Relationship } from '../../catalog/catalog.js';
import type { TableProfile } from '../profile-table.js';
import type { ProfileParams } from '../explore-kinds.js';
import { computeRoundTwo, type InsightFacts } from './compute-round-two.js';
import type { RoundTwo } from '../../catalog/round-two-types.js';

/** Projected collection of round two's result: one record, the latest run. */
export const INSIGHTS = 'insights';
export const INSIGHTS_KEY = 'all';
export type InsightRecord = RoundTwo;

export interface InsightParams extends InsightFacts {
  readonly target: NonNullable<ReviewedFacts['target']>;
  readonly primaryKeys: ReviewedFacts['primaryKeys'];
  /** `source.table` keys, in the order of the profile inputs (the relate action is the last input). */
  readonly tables: readonly string[];
}

/**
 * Round two as one action. Its params are the reviewed facts it reads, so a changed fact
 * changes its fingerprint; its inputs are the profiles and the relationships action, so
 * changed data does too. Source tables are read through the workspace where it runs.
 */
export const insightKind: ActionKind<InsightParams, RoundTwo> = registerActionKind({
  kind: 'explore.insight',
  version: '1',
  async run(ctx, params, inputs) {
    const ws = workspaceOf(ctx);
    const profiles = inputs.slice(0, params.tables.length).map((i) => i.value as TableProfile);
    const current = new Map<string, { record: SourceRecord; table: SourceTable }>();
    for (const p of profiles) {
      const { record, table } = await sourceTable(ws, p.source, p.table);
      if (p.dataFingerprint !== undefined && p.dataFingerprint !== table.fingerprint) {
        throw new FathomError('failed', `${tableKey(p.source, p.table)} changed after this action was planned`, {
          hint: 'Run fathom explore again: it plans against the current data.',
        });
      }
      current.set(tableKey(p.source, p.table), { record, table });
    }
    const engines = new Map<string, Promise<Engine>>();
    const engineFor = (source: string): Promise<Engine> => {
      let e = engines.get(source);
      if (!e) {
        const of = [...current.values()].filter((x) => x.table.source === source);
        if (of.length === 0)
          throw new FathomError('not_found', `No profiled table of source ${source}`, {
            hint: 'Run fathom explore first.',
          });
        e = openEngine(
          ws,
          of[0]!.record,
          of.map((x) => x.table),
        );
        engines.set(source, e);
      }
      return e;
    };
    try {
      return await computeRoundTwo({
        facts: params,
        profiles,
        engineFor,
        refFor: (source, table) => current.get(tableKey(source, table))!.table.ref,
        log: ctx.log,
      });
    } finally {
      for (const e of engines.values())
        await e.then(
          (engine) => engine.close(),
          () => undefined,
        );
    }
  },
  project: (value) => [{ collection: INSIGHTS, key: INSIGHTS_KEY, value }],
});

/**
 * Plan round two after the profiles and relationships of one explore, or null when no target
 * is confirmed or the target's table is not among the profiles. The lead's exploreWorkspace adds the result to its plan.
 */
export function planInsight(
  facts: ReviewedFacts,
  profileActions: readonly PlannedAction[],
  relateAction: PlannedAction,
): PlannedAction | null {
  if (!facts.target) return null;
  const tables = profileActions.map((a) => a.params as ProfileParams);
  // `fathom explore --source other` may plan without the target's table: nothing to run then.
  if (!tables.some((p) => p.source === facts.target!.source && p.table === facts.target!.table)) return null;
  const params: InsightParams = {
    metadataVersion: facts.metadataVersion,
    target: facts.target,
    timeIndexes: facts.timeIndexes,
    primaryKeys: facts.primaryKeys,
    relationships: facts.relationships.filter((r) => r.status !== 'rejected').map(relationshipFact),
    ignored: facts.ignored,
    tables: tables.map((p) => tableKey(p.source, p.table)),
  };
  return planAction(insightKind, params, [...profileActions, relateAction], { metadataVersion: facts.metadataVersion });
}

/** Only what names a relationship goes into params: its confidence or evidence changing is no new fact. */
function relationshipFact(r: Relationship): Relationship {
  return {
    from: r.from,
    to: r.to,
    status: r.status,
    confidence: 1,
    coverage: 1,
    ...(r.fromSource === undefined ? {} : { fromSource: r.fromSource }),
    ...(r.toSource === undefined ? {} : { toSource: r.toSource }),
  };
}
