import type { ActionKind } from '../../orchestrate/action-kind.js';
import { registerActionKind } from '../../orchestrate/action-registry.js';
import { tableKey, type SourceRecord } from '../../sources/source-actions.js';
import type { SourceTable } from '../../sources/source.js';
import type { Engine } from '../../engine/engine.js';
import { FathomError } from '../../util/fathom-error.js';
import { openEngine, sourceTable, workspaceOf } from '../explore-context.js';
import type { TableProfile } from '../profile-table.js';
import { computeRoundTwo } from './compute-round-two.js';
import { insightParams, type InsightParams } from './insight-params.js';
import { planAction, type PlannedAction } from '../../orchestrate/plan.js';
import type { ReviewedFacts } from '../../catalog/reviewed-facts.js';
import type { ProfileParams } from '../explore-kinds.js';
import type { RoundTwo } from '../../catalog/round-two-types.js';

/** Projected collection of round two's result: one record, the latest run. */
export const INSIGHTS = 'insights';
export const INSIGHTS_KEY = 'all';
export type InsightRecord = RoundTwo;

export type { InsightParams } from './insight-params.js';

/**
 * Round two as one action. Its params are the reviewed facts it reads, so a changed fact
 * changes its fingerprint; its inputs are the profiles and the relationships action, so
 * changed data does too. Source tables are read through the workspace where it runs.
 */
export const insightKind: ActionKind<InsightParams, RoundTwo> = registerActionKind({
  kind: 'explore.insight',
  version: '1',
  subject: (p) => `${p.target.source}.${p.target.table}.${p.target.column}`,
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

/** Round two planned after the profiles and relationships of one explore, or null (see insightParams). */
export function planInsight(
  facts: ReviewedFacts,
  profileActions: readonly PlannedAction[],
  relateAction: PlannedAction,
): PlannedAction | null {
  const params = insightParams(
    facts,
    profileActions.map((a) => a.params as ProfileParams),
  );
  if (params === null) return null;
  return planAction(insightKind, params, [...profileActions, relateAction], { metadataVersion: facts.metadataVersion });
}
