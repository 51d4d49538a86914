import assert from 'node:assert/strict';
import type { Workspace } from '../../workspace/open-workspace.js';
import { makePlan, planAction, type PlannedAction } from '../../orchestrate/plan.js';
import { runPlan } from '../../orchestrate/run-plan.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../../sources/source-actions.js';
import type { SourceTable } from '../../sources/source.js';
import type { ReviewedFacts } from '../../catalog/reviewed-facts.js';
import type { Catalog, TargetKind } from '../../catalog/catalog.js';
import { profileKind, relateKind } from '../explore-kinds.js';
import { INSIGHTS, INSIGHTS_KEY, planInsight, type InsightRecord } from './insight-kind.js';
import { runContextFor } from '../../orchestrate/run-context.js';

/**
 * The profile and relate actions exactly as exploreWorkspace planned them (same params,
 * inputs and metadata version, so the same fingerprints): what the lead hands planInsight.
 */
export async function plannedExplore(ws: Workspace): Promise<{ profiles: PlannedAction[]; relate: PlannedAction }> {
  const ledger = await ws.ledger();
  const metadataVersion = (await runContextFor(ws)).metadataVersion ?? null;
  const profiles: PlannedAction[] = [];
  for (const s of await ledger.listState<SourceRecord>(SOURCES)) {
    for (const name of s.value.tables) {
      const table = (await ledger.getState<SourceTable>(TABLES, tableKey(s.key, name)))!.value;
      profiles.push(planAction(profileKind, { source: s.key, table: name }, [table.fingerprint], { metadataVersion }));
    }
  }
  const relate = planAction(
    relateKind,
    {
      tables: profiles.map((p) =>
        tableKey((p.params as { source: string }).source, (p.params as { table: string }).table),
      ),
    },
    profiles,
    { metadataVersion },
  );
  return { profiles, relate };
}

/** Reviewed facts built by hand from an explored catalog: the given target, everything else as suggested. */
export function factsFromCatalog(
  catalog: Catalog,
  target: { table: string; column: string; kind: TargetKind },
  overrides: Partial<ReviewedFacts> = {},
): ReviewedFacts {
  const sourceOf = (table: string) => catalog.tables.find((t) => t.name === table)!.source;
  return {
    metadataVersion: 1,
    target: { source: sourceOf(target.table), ...target },
    timeIndexes: catalog.tables
      .filter((t) => t.timeIndex)
      .map((t) => ({ source: t.source, table: t.name, column: t.timeIndex!.column })),
    primaryKeys: catalog.tables
      .filter((t) => t.primaryKey)
      .map((t) => ({ source: t.source, table: t.name, columns: t.primaryKey!.columns })),
    relationships: catalog.relationships,
    ignored: [],
    ...overrides,
  };
}

/** Plan round two beside the explore actions, run it in this process, and read the projected result. */
export async function runRoundTwo(
  ws: Workspace,
  facts: ReviewedFacts,
  workers = 0,
): Promise<{ result: InsightRecord; action: PlannedAction; reused: boolean; workerId: string | null }> {
  const { profiles, relate } = await plannedExplore(ws);
  const action = planInsight(facts, profiles, relate);
  assert.ok(action, 'a confirmed target plans round two');
  const outcome = await runPlan(ws, makePlan([...profiles, relate, action]), { workers });
  assert.deepEqual(outcome.failed, []);
  const ledger = await ws.ledger();
  const [last] = await ledger.entries({ fingerprint: action.fingerprint, descending: true, limit: 1 });
  const result = (await ledger.getState<InsightRecord>(INSIGHTS, INSIGHTS_KEY))!.value;
  return { result, action, reused: last?.status === 'reused', workerId: last?.workerId ?? null };
}
