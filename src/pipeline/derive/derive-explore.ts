import { planAction, type PlannedAction } from '../../orchestrate/plan.js';
import { tableKey } from '../../sources/source-actions.js';
import type { SourceTable } from '../../sources/source.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { TableProfile } from '../../explore/profile-table.js';
import type { RelationshipsRecord } from '../../explore/explore-kinds.js';
import { catalogOfProfiles } from '../../explore/catalog-of-profiles.js';
import { withRoundTwo } from '../../explore/round-two/attach-round-two.js';
import { applyReview } from '../../metadata/apply-review.js';
import type { PipelineGoals } from '../pipeline-goals.js';
import type { PlanBuilder } from './plan-builder.js';

export interface Explored {
  /** The profiles' nodes (id, action, and the table they profile), by `source.table`. */
  readonly profiles: ReadonlyMap<string, { id: string; action: PlannedAction; source: string; table: string }>;
  readonly relate: { id: string; action: PlannedAction } | null;
  /**
   * The reviewed catalog as the planner sees it: from the outputs of the exploration nodes
   * when they are reused, else from the latest ones (provisional: they run again first).
   */
  readonly catalog: Catalog;
  readonly provisional: boolean;
}

/** A table named for people: its file's name, or the database table. */
export const tableLabel = (t: SourceTable): string =>
  t.location.includes('/') && !t.location.startsWith('postgres')
    ? (t.location.split('/').pop() ?? t.location)
    : `${t.source}.${t.name}`;

/**
 * Exploration's nodes: a `source.connect` per source (its tables and their fingerprints, as
 * discovered now against what the ledger recorded), an `explore.profile` per table of the
 * sources explored (and of other sources, with the profiles they have, for relationships),
 * and one `explore.relate` over every profile.
 */
export function deriveExplore(b: PlanBuilder, goals: Pick<PipelineGoals, 'sources'>): Explored {
  const s = b.state;
  const explored = new Set(goals.sources ?? s.sources.map((x) => x.name));
  const profiles = new Map<string, { id: string; action: PlannedAction; source: string; table: string }>();
  for (const src of s.sources) {
    const changed = src.tables.filter((t) => src.recorded.get(t.name) !== t.fingerprint).map(tableLabel);
    const gone = [...src.recorded.keys()].filter((n) => !src.tables.some((t) => t.name === n));
    const news = changed.length > 0 || gone.length > 0;
    const fresh = src.recorded.size === 0;
    b.here({
      id: `source.connect ${src.name}`,
      step: 'connect',
      kind: 'source.connect',
      state: fresh ? 'ready' : news ? 'stale' : 'reused',
      reason: fresh
        ? `connect ${src.record.location}: ${src.tables.length} tables`
        : news
          ? [
              ...changed.map((c) => `${c} changed since entry ${src.recordedSeq}`),
              ...gone.map((g) => `${g} is gone`),
            ].join('; ')
          : null,
      deps: [],
    });
    for (const t of src.tables) {
      const key = tableKey(src.name, t.name);
      if (!explored.has(src.name) && !s.latest.profiles.has(key)) continue;
      const action = planAction(b.kind('explore.profile'), { source: src.name, table: t.name }, [t.fingerprint]);
      const id = `explore.profile ${key}`;
      b.queued({
        id,
        step: 'explore',
        action,
        deps: [`source.connect ${src.name}`],
        inputs: [{ data: tableLabel(t) }],
      });
      profiles.set(key, { id, action, source: src.name, table: t.name });
    }
  }
  if (profiles.size === 0) {
    return { profiles, relate: null, catalog: catalogOf(b, [], []), provisional: true };
  }
  // Profiles and relationships read no metadata: a review decision never makes them stale.
  const relateAction = planAction(
    b.kind('explore.relate'),
    { tables: [...profiles.keys()] },
    [...profiles.values()].map((p) => p.action),
  );
  const relate = { id: 'explore.relate', action: relateAction };
  b.queued({
    id: relate.id,
    step: 'explore',
    action: relateAction,
    deps: [...profiles.values()].map((p) => p.id),
    inputs: [...profiles.values()].map((p) => ({ node: p.id })),
  });
  let provisional = !b.done(relate.id);
  const outputs: TableProfile[] = [];
  for (const [key, p] of profiles) {
    const exact = b.done(p.id) ? b.output<TableProfile>(p.action.fingerprint) : undefined;
    if (exact === undefined) provisional = true;
    const profile = exact ?? s.latest.profiles.get(key);
    if (profile) outputs.push(profile);
  }
  const related = b.done(relate.id) ? b.output<RelationshipsRecord>(relateAction.fingerprint) : undefined;
  if (related === undefined) provisional = true;
  const relationships = (related ?? s.latest.relationships)?.relationships ?? [];
  return { profiles, relate, catalog: catalogOf(b, outputs, relationships), provisional };
}

/** The reviewed catalog from profiles and relationships: the person's decisions and round two laid over them. */
function catalogOf(
  b: PlanBuilder,
  profiles: readonly TableProfile[],
  relationships: RelationshipsRecord['relationships'],
): Catalog {
  const s = b.state;
  const sources = s.sources.map((x) => ({ name: x.name, kind: x.record.kind, location: x.record.location }));
  const reviewed = applyReview(catalogOfProfiles(sources, profiles, relationships), s.tags, s.metadataVersion);
  return withRoundTwo(reviewed, s.latest.roundTwo ?? undefined, s.metadataVersion);
}
