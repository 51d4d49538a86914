import { duckDbDialect } from '../engine/duckdb/duckdb-dialect.js';
import { postgresDialect } from '../engine/postgres/postgres-dialect.js';
import { sqliteDialect } from '../engine/sqlite/sqlite-dialect.js';
import type { SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import { badInput } from '../util/fathom-error.js';
import { compileMatrix, type MatrixSpec } from './compile-matrix.js';
import type { EntityGraph } from './entity-graph.js';
import { tablesOf } from './feature-tree.js';
import type { FeatureSetRecord } from './feature-set-record.js';
import { namedFeatures } from './named-features.js';
import type { ScoringPlan } from './scoring-plan.js';

/**
 * The scoring plan for some of a feature set's features (a model's): synthesis is re-run on the
 * recorded graph, which gives the same trees, and only the asked features are compiled.
 */
export function scoringPlanFor(
  record: FeatureSetRecord,
  names: readonly string[],
  engineKind: SourceRecord['kind'],
  rootColumns: SourceTable['columns'],
): ScoringPlan {
  const graph: EntityGraph = {
    source: record.graph.source,
    tables: new Map(record.graph.tables.map((t) => [t.name, t])),
    edges: record.graph.edges,
    notes: [],
  };
  const synthesis = namedFeatures(
    graph,
    record.target,
    record.timeColumn,
    record.cutoff,
    record.depth,
    record.windowDays,
  );
  const byName = new Map(synthesis.named.map((f) => [f.name, f.node]));
  const wanted = names.map((name) => {
    const node = byName.get(name);
    if (!node)
      throw badInput(
        `Feature ${name} is not in the feature set of ${record.target.table}`,
        'Rebuild it: fathom features',
      );
    return { name, node };
  });
  const d = engineKind === 'postgres' ? postgresDialect : engineKind === 'sqlite' ? sqliteDialect : duckDbDialect;
  const spec: MatrixSpec = {
    root: synthesis.root,
    key: record.key,
    carry: [],
    features: wanted,
    windowDays: record.windowDays,
    cutoff: record.cutoff.kind !== 'none',
  };
  const tables = [...new Set([record.target.table, ...wanted.flatMap((f) => [...tablesOf(f.node)])])].sort();
  return {
    format: 'fathom.scoring-plan/1',
    source: record.target.source,
    table: record.target.table,
    tables,
    key: record.key,
    keyTypes: record.key.map((k) => rootColumns.find((c) => c.name === k)!.physicalType),
    cutoff: record.cutoff,
    ...snapshotOf(record, graph, tables),
    features: names,
    sql: compileMatrix(d, spec, { kind: 'entities' }),
  };
}

/**
 * A fixed cutoff Fathom chose (not the person) is the data's snapshot (resolve-cutoff.ts): the
 * direct children with a time index that the plan reads say where the data ends at scoring time.
 */
function snapshotOf(
  record: FeatureSetRecord,
  graph: EntityGraph,
  tables: readonly string[],
): Pick<ScoringPlan, 'snapshot'> {
  if (record.cutoff.kind !== 'fixed' || record.cutoffAsked) return {};
  const root = record.target.table;
  const children = graph.edges
    .filter((e) => e.parent === root && e.child !== root && tables.includes(e.child))
    .map((e) => graph.tables.get(e.child)!);
  const timed = [
    ...new Map(
      children
        .filter((t) => t.timeIndex !== null)
        .map((t) => [t.name, { table: t.name, ref: t.ref, column: t.timeIndex! }]),
    ).values(),
  ];
  return timed.length > 0 ? { snapshot: timed } : {};
}
