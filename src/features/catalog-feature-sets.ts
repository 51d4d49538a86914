import type { FeatureSetRecord } from './feature-set-record.js';
import type { CatalogFeature, CatalogFeatureSet } from '../catalog/catalog.js';

/**
 * The catalog's view of recorded feature sets: each feature's lineage joined with what
 * selection did with it (kept, or dropped and why) and its share of the probe's gain.
 * Ordered by target so the document is the same however the state was projected.
 */
export function catalogFeatureSets(records: readonly FeatureSetRecord[]): CatalogFeatureSet[] {
  return records.map(catalogFeatureSet).sort((a, b) => targetName(a).localeCompare(targetName(b)));
}

const targetName = (s: CatalogFeatureSet) => `${s.target.source}.${s.target.table}.${s.target.column}`;

export function catalogFeatureSet(r: FeatureSetRecord): CatalogFeatureSet {
  const kept = new Set(r.selection.kept);
  // A feature is dropped once at most; should a later stage name it again, the first reason is the cause.
  const reasons = new Map<string, string>();
  for (const d of r.selection.dropped) if (!reasons.has(d.name)) reasons.set(d.name, d.reason);
  const gains = new Map(r.selection.ranking.map((g) => [g.name, g.gain]));
  const features = r.features.map((f): CatalogFeature => {
    const gain = gains.get(f.name);
    const reason = kept.has(f.name) ? undefined : (reasons.get(f.name) ?? 'not selected');
    return {
      name: f.name,
      kind: f.kind,
      primitive: f.primitive,
      depth: f.depth,
      tables: f.tables,
      sql: f.sql,
      ...(f.leakage !== undefined ? { leakage: f.leakage } : {}),
      status: kept.has(f.name) ? 'kept' : 'dropped',
      ...(reason !== undefined ? { reason } : {}),
      ...(gain !== undefined ? { gain } : {}),
    };
  });
  const { source, table, column, kind } = r.target;
  return {
    target: { source, table, column, kind },
    cutoff: r.cutoff,
    depth: r.depth,
    windowDays: r.windowDays,
    warnings: r.warnings,
    metadataVersion: r.metadataVersion,
    matrix: { rows: r.matrix.rows, columns: r.matrix.columns.length, bytes: r.matrix.bytes, object: r.matrix.object },
    features,
  };
}
