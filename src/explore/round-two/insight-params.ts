import type { Relationship } from '../../catalog/catalog.js';
import type { ReviewedFacts } from '../../catalog/reviewed-facts.js';
import { tableKey } from '../../sources/source-actions.js';
import type { InsightFacts } from './compute-round-two.js';

export interface InsightParams extends InsightFacts {
  readonly target: NonNullable<ReviewedFacts['target']>;
  readonly primaryKeys: ReviewedFacts['primaryKeys'];
  /** `source.table` keys, in the order of the profile inputs (the relate action is the last input). */
  readonly tables: readonly string[];
}

/**
 * Round two's params from the reviewed facts, over the profiled tables (in the order of its
 * profile inputs), or null when no target is confirmed or its table is not among them (an
 * explore of another source only). Only what names a fact goes in: a relationship's confidence
 * or evidence changing is no new fact, so it makes round two stale only when the facts change.
 */
export function insightParams(
  facts: ReviewedFacts,
  tables: ReadonlyArray<{ readonly source: string; readonly table: string }>,
): InsightParams | null {
  const target = facts.target;
  if (!target || !tables.some((p) => p.source === target.source && p.table === target.table)) return null;
  return {
    metadataVersion: facts.metadataVersion,
    target,
    timeIndexes: facts.timeIndexes,
    primaryKeys: facts.primaryKeys,
    relationships: facts.relationships.filter((r) => r.status !== 'rejected').map(relationshipFact),
    ignored: facts.ignored,
    tables: tables.map((p) => tableKey(p.source, p.table)),
  };
}

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
