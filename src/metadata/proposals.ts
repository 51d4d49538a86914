import type { Catalog, CatalogColumn, CatalogTable } from '../catalog/catalog.js';
import { relationshipDecision } from './apply-review.js';
import type { Decision } from './decision.js';

/** Something exploration proposed that a person has not decided yet. */
export interface Proposal {
  /** What kind of fact: semantic type, PII, key, time index, relationship, target. */
  readonly fact: Decision['fact'];
  /** The fact in words: "orders.customer_id refers to customers.customer_id". */
  readonly text: string;
  readonly confidence: number;
  readonly evidence: readonly string[];
  /** What accepting records. */
  readonly accept: Decision;
  /** What rejecting records, where a rejection means something (else change it instead). */
  readonly reject: Decision | null;
  /** The column this proposal is about, for "ignore this column". */
  readonly column: { readonly source: string; readonly table: string; readonly column: string } | null;
}

const cols = (c: readonly string[]) => (c.length === 1 ? c[0]! : `(${c.join(', ')})`);

/**
 * Every undecided proposal of a reviewed catalog, least confident first: the ones most worth
 * a person's minute come first, and the confident tail can be accepted in bulk.
 */
export function pendingProposals(catalog: Catalog): Proposal[] {
  const out: Proposal[] = [];
  const sourceOf = new Map(catalog.tables.map((t) => [t.name, t.source]));
  // Once a target is confirmed, the other candidates are no longer questions worth asking.
  const targetChosen = catalog.targets.some((t) => t.status === 'confirmed');
  for (const t of catalog.targets) {
    if (t.status !== 'suggested' || targetChosen) continue;
    const source = sourceOf.get(t.table) ?? '';
    const base = { fact: 'target', source, table: t.table, column: t.column, kind: t.kind } as const;
    out.push({
      fact: 'target',
      text: `${t.table}.${t.column} is the ${t.kind} target to predict`,
      confidence: t.confidence,
      evidence: t.evidence ?? [],
      accept: { ...base, status: 'confirmed' },
      reject: { ...base, status: 'rejected' },
      column: { source, table: t.table, column: t.column },
    });
  }
  for (const r of catalog.relationships) {
    if (r.status !== 'suggested') continue;
    out.push({
      fact: 'relationship',
      text: `${r.from.table}.${cols(r.from.columns)} refers to ${r.to.table}.${cols(r.to.columns)}`,
      confidence: r.confidence,
      evidence: [...(r.evidence ?? []), `coverage ${(r.coverage * 100).toFixed(1)}%`],
      accept: relationshipDecision(r, 'confirmed'),
      reject: relationshipDecision(r, 'rejected'),
      column: null,
    });
  }
  for (const t of catalog.tables) out.push(...tableProposals(t));
  return out.sort((a, b) => a.confidence - b.confidence);
}

function tableProposals(t: CatalogTable): Proposal[] {
  const out: Proposal[] = [];
  const at = { source: t.source, table: t.name };
  if (t.primaryKey?.status === 'suggested') {
    const k = t.primaryKey;
    out.push({
      fact: 'primaryKey',
      text: `${t.name} is identified by ${k.columns.join(' + ')}`,
      confidence: k.confidence,
      evidence: k.evidence ?? [],
      accept: { fact: 'primaryKey', ...at, status: 'confirmed', value: k.columns },
      reject: { fact: 'primaryKey', ...at, status: 'rejected', value: k.columns },
      column: null,
    });
  }
  if (t.timeIndex?.status === 'suggested') {
    const ti = t.timeIndex;
    out.push({
      fact: 'timeIndex',
      text: `${t.name} rows are dated by ${ti.column}`,
      confidence: ti.confidence,
      evidence: ti.evidence ?? [],
      accept: { fact: 'timeIndex', ...at, status: 'confirmed', value: ti.column },
      reject: { fact: 'timeIndex', ...at, status: 'rejected', value: ti.column },
      column: null,
    });
  }
  for (const c of t.columns) out.push(...columnProposals(t, c));
  return out;
}

function columnProposals(t: CatalogTable, c: CatalogColumn): Proposal[] {
  if (c.ignored) return [];
  const at = { source: t.source, table: t.name, column: c.name };
  const out: Proposal[] = [];
  if (c.status === 'suggested') {
    out.push({
      fact: 'semanticType',
      text: `${t.name}.${c.name} is ${c.semanticType}`,
      confidence: c.confidence,
      evidence: c.evidence ?? [`physical type ${c.physicalType}`],
      accept: { fact: 'semanticType', ...at, status: 'confirmed', value: c.semanticType },
      reject: null,
      column: at,
    });
  }
  if (c.pii && (c.piiStatus ?? 'suggested') === 'suggested') {
    out.push({
      fact: 'pii',
      text: `${t.name}.${c.name} is personal data (${c.pii})`,
      confidence: c.piiConfidence ?? c.confidence,
      evidence: c.piiEvidence ?? [],
      accept: { fact: 'pii', ...at, status: 'confirmed', value: c.pii },
      reject: { fact: 'pii', ...at, status: 'confirmed', value: null },
      column: at,
    });
  }
  return out;
}
