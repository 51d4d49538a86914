import type { Relationship, TargetFact } from '../catalog/catalog.js';
import type { TableProfile } from './profile-table.js';

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
/** Association this strong says one column is (nearly) a function of the other. */
const STRONG = 0.95;
const METHOD: Record<string, string> = {
  spearman: 'Spearman ρ',
  cramers_v: 'Cramér’s V',
  correlation_ratio: 'correlation ratio η',
  pearson: 'Pearson r',
};

/** Plain-language findings for a person who has never seen the data. */
export function findings(
  tables: readonly TableProfile[],
  relationships: readonly Relationship[],
  targets: readonly TargetFact[],
): string[] {
  const out: string[] = [];
  const rows = new Map(tables.map((t) => [`${t.source}\u0000${t.table}`, t.rows]));
  for (const r of relationships) {
    const orphan = 1 - r.coverage;
    const childRows = rows.get(`${r.fromSource}\u0000${r.from.table}`) ?? 0;
    const cols = (c: readonly string[]) => (c.length === 1 ? c[0]! : `(${c.join(', ')})`);
    out.push(
      `${r.from.table}.${cols(r.from.columns)} refers to ${r.to.table}.${cols(r.to.columns)}; ` +
        (orphan > 0
          ? `${pct(orphan)} of ${r.from.table} rows (${r.orphanRows ?? Math.round(orphan * childRows)}) have no matching ${r.to.table} row.`
          : `every ${r.from.table} row has a matching ${r.to.table} row.`),
    );
  }
  for (const t of tables) {
    if (t.primaryKey)
      out.push(
        `${t.table} is identified by ${t.primaryKey.columns.join(' + ')} (${t.primaryKey.evidence?.join(', ') ?? 'unique'}).`,
      );
    else if (t.rows > 1) out.push(`${t.table} has no column or column pair that identifies its rows.`);
    if (t.timeIndex) out.push(`${t.table} rows are dated by ${t.timeIndex.column}.`);
    if (t.duplicateRows > 0)
      out.push(`${t.table} has ${t.duplicateRows} duplicate rows${t.duplicateRowsExact ? '' : ' (estimated)'}.`);
    const pii = t.columns.filter((c) => c.pii);
    if (pii.length > 0)
      out.push(
        `${t.table} holds personal data in ${pii.map((c) => `${c.name} (${c.pii})`).join(', ')}; values are masked.`,
      );
    for (const c of t.columns) {
      for (const a of c.alerts)
        if (
          a.kind === 'high_missing' ||
          a.kind === 'constant' ||
          a.kind === 'mixed_types' ||
          a.kind === 'duplicate_column'
        )
          out.push(`${t.table}.${c.name}: ${a.detail}.`);
    }
    if (t.rows === 0) out.push(`${t.table} is empty.`);
    for (const a of t.associations?.pairs ?? []) {
      if (a.method !== 'pearson' && Math.abs(a.value) >= STRONG) {
        out.push(
          `${t.table}.${a.a} and ${t.table}.${a.b} are almost perfectly associated (${METHOD[a.method]} ${a.value.toFixed(2)} on ${t.associations!.sampleRows} rows): one may be derived from the other.`,
        );
      }
    }
  }
  const best = targets[0];
  if (best)
    out.push(
      `${best.table}.${best.column} looks like a ${best.kind} target (${best.evidence?.join(', ') ?? ''}); confirm it in review.`,
    );
  return out;
}
