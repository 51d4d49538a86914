import type { Workspace } from '../workspace/open-workspace.js';
import type { SourceTable } from '../sources/source.js';
import { currentProfile } from '../explore/current-profile.js';
import type { Decision } from './decision.js';
import { readTags, type TagRecord } from './metadata-state.js';

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

/** What review decided about one table, over its current profile. */
export async function tableReview(ws: Workspace, source: string, table: SourceTable): Promise<TableReview> {
  const profile = await currentProfile(ws, source, table);
  const tags = [...(await readTags(await ws.ledger())).values()].filter((t: TagRecord) =>
    aboutTable(t.decision, source, table.name),
  );
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

/** The one confirmed target, if review confirmed one. */
export async function confirmedTarget(
  ws: Workspace,
): Promise<{ source: string; table: string; column: string; kind: string } | null> {
  for (const t of (await readTags(await ws.ledger())).values()) {
    const d = t.decision;
    if (d.fact === 'target' && d.status === 'confirmed')
      return { source: d.source, table: d.table, column: d.column, kind: d.kind };
  }
  return null;
}
