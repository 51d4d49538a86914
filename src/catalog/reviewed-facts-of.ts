import type { Catalog } from './catalog.js';
import type { ReviewedFacts } from './reviewed-facts.js';

/**
 * The facts downstream work may rely on, from a reviewed catalog (applyReview): confirmed
 * facts, and suggested ones nobody rejected. The target must be confirmed: training the
 * wrong column is the one guess Fathom does not make on its own.
 */
export function reviewedFactsOf(catalog: Catalog): ReviewedFacts {
  const usable = (s: string) => s !== 'rejected';
  const target = catalog.targets.find((t) => t.status === 'confirmed');
  const sourceOf = (table: string) => catalog.tables.find((t) => t.name === table)?.source ?? '';
  return {
    metadataVersion: catalog.metadataVersion ?? 0,
    target: target
      ? { source: sourceOf(target.table), table: target.table, column: target.column, kind: target.kind }
      : null,
    timeIndexes: catalog.tables.flatMap((t) =>
      t.timeIndex && usable(t.timeIndex.status)
        ? [{ source: t.source, table: t.name, column: t.timeIndex.column }]
        : [],
    ),
    primaryKeys: catalog.tables.flatMap((t) =>
      t.primaryKey && usable(t.primaryKey.status)
        ? [{ source: t.source, table: t.name, columns: t.primaryKey.columns }]
        : [],
    ),
    relationships: catalog.relationships.filter((r) => usable(r.status)),
    ignored: catalog.tables.flatMap((t) =>
      t.columns.filter((c) => c.ignored).map((c) => ({ source: t.source, table: t.name, column: c.name })),
    ),
  };
}
