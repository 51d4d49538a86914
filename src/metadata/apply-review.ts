import type {
  Catalog,
  CatalogColumn,
  CatalogTable,
  KeyFact,
  Relationship,
  TargetFact,
  TimeIndexFact,
} from '../catalog/catalog.js';
import { maskPii } from '../explore/mask-pii.js';
import { decisionKey, factKey, type Decision } from './decision.js';
import type { TagRecord } from './metadata-state.js';

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const by = (t: TagRecord): string => `${t.decision.status} by ${t.by} (metadata v${t.version})`;

/**
 * The catalog as the person left it: decisions laid over the latest exploration. A confirmed
 * value is never replaced by a proposal; where the exploration now proposes something else,
 * that proposal is shown beside it (`proposed`). A rejection applies to the value rejected
 * only, so a different new proposal stands as suggested.
 */
export function applyReview(catalog: Catalog, tags: ReadonlyMap<string, TagRecord>, version: number): Catalog {
  const tag = (d: Decision) => tags.get(decisionKey(d));
  const tables = catalog.tables.map((t) => reviewTable(t, tags));
  const ignored = new Set(
    tables.flatMap((t) => t.columns.filter((c) => c.ignored).map((c) => `${t.source}.${t.name}.${c.name}`)),
  );

  const relationships: Relationship[] = catalog.relationships.map((r) => {
    const d = relationshipDecision(r, 'confirmed');
    const t = tag(d);
    return t ? { ...r, status: t.decision.status, evidence: [...(r.evidence ?? []), by(t)] } : r;
  });
  for (const t of tags.values()) {
    const d = t.decision;
    if (d.fact !== 'relationship' || d.status !== 'confirmed') continue;
    if (relationships.some((r) => decisionKey(relationshipDecision(r, 'confirmed')) === decisionKey(d))) continue;
    relationships.push({
      from: { table: d.from.table, columns: d.from.columns },
      to: { table: d.to.table, columns: d.to.columns },
      fromSource: d.from.source,
      toSource: d.to.source,
      confidence: 1,
      coverage: d.coverage ?? 0,
      status: 'confirmed',
      evidence: ['declared by a person', ...(d.coverage === undefined ? ['coverage not measured'] : []), by(t)],
    });
  }

  const targets: TargetFact[] = [];
  const sourceOf = new Map(tables.map((t) => [t.name, t.source]));
  for (const t of tags.values()) {
    const d = t.decision;
    if (d.fact === 'target' && d.status === 'confirmed') {
      const auto = catalog.targets.find(
        (x) => x.table === d.table && x.column === d.column && sourceOf.get(x.table) === d.source,
      );
      targets.push({
        table: d.table,
        column: d.column,
        kind: d.kind,
        confidence: auto?.confidence ?? 1,
        status: 'confirmed',
        evidence: [...(auto?.evidence ?? ['declared by a person']), by(t)],
      });
    }
  }
  for (const x of catalog.targets) {
    if (targets.some((y) => y.table === x.table && y.column === x.column)) continue;
    const source = sourceOf.get(x.table) ?? '';
    if (ignored.has(`${source}.${x.table}.${x.column}`)) continue;
    const t = tags.get(factKey('target', source, x.table, x.column));
    targets.push(t ? { ...x, status: t.decision.status, evidence: [...(x.evidence ?? []), by(t)] } : x);
  }
  return { ...catalog, tables, relationships, targets, metadataVersion: version };
}

/** The decision that would confirm (or reject) this relationship as it stands. */
export function relationshipDecision(r: Relationship, status: 'confirmed' | 'rejected'): Decision {
  return {
    fact: 'relationship',
    status,
    from: { source: r.fromSource ?? '', table: r.from.table, columns: r.from.columns },
    to: { source: r.toSource ?? '', table: r.to.table, columns: r.to.columns },
  };
}

function reviewTable(t: CatalogTable, tags: ReadonlyMap<string, TagRecord>): CatalogTable {
  const keyTag = tags.get(factKey('primaryKey', t.source, t.name));
  const timeTag = tags.get(factKey('timeIndex', t.source, t.name));
  return {
    ...t,
    primaryKey: reviewSlot<KeyFact>(
      t.primaryKey,
      keyTag,
      (f) => f.columns,
      (v) => ({ columns: v as readonly string[] }),
    ),
    timeIndex: reviewSlot<TimeIndexFact>(
      t.timeIndex,
      timeTag,
      (f) => [f.column],
      (v) => ({ column: v as string }),
    ),
    columns: t.columns.map((c) => reviewColumn(c, t, tags)),
  };
}

/** A one-per-table fact (key, time index): confirmed replaces, rejected marks the same value. */
function reviewSlot<F extends KeyFact | TimeIndexFact>(
  auto: F | null,
  tag: TagRecord | undefined,
  valueOf: (f: F) => readonly string[],
  make: (v: unknown) => Partial<F>,
): F | null {
  if (!tag) return auto;
  const d = tag.decision as Extract<Decision, { fact: 'primaryKey' | 'timeIndex' }>;
  const value = Array.isArray(d.value) ? (d.value as readonly string[]) : [d.value as string];
  const matches = auto !== null && sameList(valueOf(auto), value);
  if (d.status === 'rejected')
    return matches ? { ...auto, status: 'rejected', evidence: [...(auto.evidence ?? []), by(tag)] } : auto;
  const beside = auto && !matches ? { proposed: { columns: valueOf(auto), confidence: auto.confidence } } : {};
  return {
    ...(auto ?? {}),
    ...make(d.value),
    ...beside,
    confidence: matches ? auto.confidence : 1,
    status: 'confirmed',
    evidence: [...(matches ? (auto.evidence ?? []) : ['declared by a person']), by(tag)],
  } as unknown as F;
}

function reviewColumn(c: CatalogColumn, t: CatalogTable, tags: ReadonlyMap<string, TagRecord>): CatalogColumn {
  const type = tags.get(factKey('semanticType', t.source, t.name, c.name));
  const pii = tags.get(factKey('pii', t.source, t.name, c.name));
  const ignore = tags.get(factKey('ignore', t.source, t.name, c.name));
  if (!type && !pii && !ignore) return c;
  let out: CatalogColumn = { ...c };
  const proposed: { semanticType?: CatalogColumn['semanticType']; pii?: CatalogColumn['pii'] } = {};
  if (type && type.decision.fact === 'semanticType') {
    if (type.decision.value !== c.semanticType) proposed.semanticType = c.semanticType;
    out = { ...out, semanticType: type.decision.value, status: 'confirmed' };
  }
  if (pii && pii.decision.fact === 'pii') {
    if (pii.decision.value !== c.pii) proposed.pii = c.pii;
    out = { ...out, pii: pii.decision.value, piiStatus: 'confirmed' };
    // A column a person marks as personal data is masked here even if exploration missed it.
    const kind = pii.decision.value;
    if (kind && !c.pii) out = { ...out, stats: maskStats(c.stats, kind) };
  }
  if (ignore && ignore.decision.fact === 'ignore' && ignore.decision.value) out = { ...out, ignored: true };
  if (Object.keys(proposed).length > 0) out = { ...out, proposed: { ...proposed, confidence: c.confidence } };
  const latest = [type, pii, ignore]
    .filter((t): t is TagRecord => t !== undefined)
    .sort((a, b) => b.version - a.version)[0]!;
  return { ...out, reviewedBy: { by: latest.by, at: latest.at, version: latest.version } };
}

function maskStats(stats: CatalogColumn['stats'], kind: NonNullable<CatalogColumn['pii']>): CatalogColumn['stats'] {
  const mask = (v: string | number | null) => (v === null ? null : maskPii(kind, v));
  return {
    ...stats,
    min: mask(stats.min),
    max: mask(stats.max),
    top: stats.top.map((t) => ({ ...t, value: maskPii(kind, t.value) })),
  };
}
