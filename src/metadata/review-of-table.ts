import type { TableProfile } from '../explore/profile-table.js';
import type { TargetKind } from '../catalog/catalog.js';
import type { Decision } from './decision.js';
import type { TagRecord } from './metadata-state.js';

export interface TableReview {
  /** Personal-data columns: found by exploration, as corrected by review. */
  readonly pii: ReadonlyMap<string, string>;
  /** Of those, the ones a person marked (the rest exploration found). */
  readonly piiMarked: ReadonlySet<string>;
  /** Columns a person asked to leave out. */
  readonly ignored: ReadonlySet<string>;
  /** The confirmed time index, if a person confirmed one. */
  readonly confirmedTimeIndex: string | null;
  /**
   * The metadata version of the newest decision about this table: what an action on this
   * table used. Decisions about other tables leave it unchanged, so they make nothing stale here.
   */
  readonly version: number;
}

const aboutTable = (d: Decision, source: string, table: string): boolean =>
  d.fact === 'relationship' ? false : d.source === source && d.table === table;

/** What review decided about one table, from its profile and the decisions: pure, for planners. */
export function reviewOfTable(
  profile: Pick<TableProfile, 'columns'> | undefined,
  allTags: ReadonlyMap<string, TagRecord>,
  source: string,
  table: string,
): TableReview {
  const tags = [...allTags.values()].filter((t: TagRecord) => aboutTable(t.decision, source, table));
  const pii = new Map((profile?.columns ?? []).filter((c) => c.pii).map((c) => [c.name, c.pii as string]));
  const ignored = new Set<string>();
  const piiMarked = new Set<string>();
  let confirmedTimeIndex: string | null = null;
  for (const { decision: d } of tags) {
    if (d.fact === 'pii') {
      if (d.value === null) pii.delete(d.column);
      else {
        pii.set(d.column, d.value);
        piiMarked.add(d.column);
      }
    } else if (d.fact === 'ignore' && d.value) ignored.add(d.column);
    else if (d.fact === 'timeIndex' && d.status === 'confirmed') confirmedTimeIndex = d.value;
  }
  return { pii, piiMarked, ignored, confirmedTimeIndex, version: Math.max(0, ...tags.map((t) => t.version)) };
}

export interface ConfirmedTarget {
  readonly source: string;
  readonly table: string;
  readonly column: string;
  readonly kind: TargetKind;
}

/** The one confirmed target among the decisions, if any. */
export function confirmedTargetOf(tags: ReadonlyMap<string, TagRecord>): ConfirmedTarget | null {
  for (const t of tags.values()) {
    const d = t.decision;
    if (d.fact === 'target' && d.status === 'confirmed')
      return { source: d.source, table: d.table, column: d.column, kind: d.kind };
  }
  return null;
}
