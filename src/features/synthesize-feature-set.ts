import type { Workspace } from '../workspace/open-workspace.js';
import type { Dialect } from '../engine/engine.js';
import type { Catalog } from '../catalog/catalog.js';
import type { FeatureDef } from '../catalog/feature-types.js';
import { reviewedFactsOf } from '../catalog/reviewed-facts-of.js';
import { openEngine, sourceTable } from '../explore/explore-context.js';
import type { SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import { badInput } from '../util/fathom-error.js';
import { compileMatrix, type MatrixSpec, type TargetRows } from './compile-matrix.js';
import { entityGraph, type EntityGraph } from './entity-graph.js';
import { depthOf, kindOf, leakageOf, primitiveOf, tablesOf, type FeatureNode } from './feature-tree.js';
import type { FeatureSetParams } from './feature-set-kind.js';
import type { MatrixParams } from './matrix-kind.js';
import { cutoffSql, resolveCutoff } from './resolve-cutoff.js';
import { columnTypeOf, featureColumnType, type MatrixColumn } from './matrix-column.js';
import { checkOptions, type FeatureOptions } from './feature-options.js';
import { namedFeatures } from './named-features.js';

/** A feature set before its matrix is computed: everything selection is told except the matrix's object. */
export type FeatureSetDraft = Omit<FeatureSetParams, 'matrix'> & {
  readonly matrix: Omit<FeatureSetParams['matrix'], 'fingerprint' | 'object'>;
};

/**
 * What synthesis decided for the confirmed target: the matrix query and the feature set's
 * draft, and whether any relationship touches its table (training on a table no relationship
 * touches reads the table alone; `fathom features` still builds its transforms). A table with
 * neither relationships nor a key has no matrix.
 */
export type Synthesis =
  | { readonly related: boolean; readonly matrix: MatrixParams; readonly draft: FeatureSetDraft }
  | { readonly related: false; readonly matrix: null; readonly draft: null };

/**
 * Synthesize the confirmed target's features over the reviewed relationship graph (a reviewed
 * catalog as the workspace has it), resolve each row's cutoff (a query where the data lives),
 * and compile the matrix into one query. Nothing is computed yet: the matrix is an action of
 * its own (features.matrix), and so is selection (features.select).
 */
export async function synthesizeFeatureSet(
  ws: Workspace,
  catalog: Catalog,
  options: FeatureOptions,
  log: (line: string) => void,
): Promise<Synthesis> {
  checkOptions(options);
  const facts = reviewedFactsOf(catalog);
  if (!facts.target)
    throw badInput(
      'No target is confirmed, so there is nothing to build features for',
      'Confirm one: fathom tag TABLE.COLUMN --target (or fathom review).',
    );
  const target = facts.target;
  const tables = new Map<string, { record: SourceRecord; table: SourceTable }>();
  for (const t of catalog.tables.filter((x) => x.source === target.source))
    tables.set(t.name, await sourceTable(ws, t.source, t.name));
  const fullGraph = entityGraph(catalog, facts, (name) => tables.get(name)!.table.ref);
  const root = fullGraph.tables.get(target.table)!;
  const related = fullGraph.edges.some((e) => e.child === target.table || e.parent === target.table);
  if (!related && root.key === null) return { related: false, matrix: null, draft: null };
  if (root.key === null)
    throw badInput(
      `${target.table} has no primary key, so child rows cannot be matched to its rows`,
      `Confirm one: fathom tag ${target.table}.COLUMN --primary-key`,
    );

  const record = tables.get(target.table)!.record;
  const engine = await openEngine(
    ws,
    record,
    [...tables.values()].map((t) => t.table),
  );
  let dialect: Dialect;
  let cutoff: Awaited<ReturnType<typeof resolveCutoff>>;
  try {
    dialect = engine.dialect;
    cutoff = await resolveCutoff(
      engine,
      fullGraph,
      root,
      options,
      target.column,
      (name) => tables.get(name)?.table.columns,
    );
  } finally {
    await engine.close();
  }
  // A cutoff table names the rows; it is no child table to aggregate, even if it points at the target.
  const cutoffTable = cutoff.spec.kind === 'table' ? cutoff.spec.table : null;
  const graph: EntityGraph =
    cutoffTable === null
      ? fullGraph
      : { ...fullGraph, edges: fullGraph.edges.filter((e) => e.child !== cutoffTable && e.parent !== cutoffTable) };
  const hasCutoff = cutoff.spec.kind !== 'none';
  const { root: rootScope, named } = namedFeatures(
    graph,
    target,
    root.timeIndex,
    cutoff.spec,
    options.depth,
    options.windowDays,
  );
  const warnings = [
    ...cutoff.warnings,
    ...graph.notes,
    ...untimedChildren(
      graph,
      named.map((f) => f.node),
      hasCutoff,
    ),
  ];
  const carry = [
    target.column,
    ...(root.timeIndex !== null && root.timeIndex !== target.column ? [root.timeIndex] : []),
  ];
  const spec: MatrixSpec = {
    root: rootScope,
    key: root.key,
    carry,
    features: named,
    windowDays: options.windowDays,
    cutoff: hasCutoff,
  };
  const toCutoff = (row: string) => cutoffSql(dialect, cutoff.spec, row);
  const rows: TargetRows =
    cutoff.spec.kind === 'table'
      ? {
          kind: 'cutoff-table',
          ref: tables.get(cutoff.spec.table)!.table.ref,
          cutoffSql: toCutoff,
          cutoffColumn: cutoff.spec.column,
          label: cutoff.spec.label ? target.column : null,
        }
      : { kind: 'table', cutoffSql: toCutoff, shared: cutoff.spec.kind === 'fixed' || cutoff.spec.kind === 'none' };
  const matrixRows =
    cutoffTable === null
      ? root.rows
      : (catalog.tables.find((t) => t.source === target.source && t.name === cutoffTable)?.rows ?? 0);
  const features = featureDefs(dialect, spec, rows, target.table);
  const rootColumns = tables.get(target.table)!.table.columns;
  const columns: MatrixColumn[] = [
    ...[...root.key, ...carry].map((c) => ({
      name: c,
      type: columnTypeOf(rootColumns.find((x) => x.name === c)?.logicalType ?? 'string'),
    })),
    ...features.map((f) => ({ name: f.name, type: featureColumnType(f.kind) })),
  ];
  const estimate = { rows: matrixRows, columns: columns.length, bytes: matrixRows * columns.length * 8 };
  log(
    `${features.length} features over ${new Set(features.flatMap((f) => f.tables)).size} tables; matrix of ${estimate.rows} rows x ${estimate.columns} columns, about ${(estimate.bytes / 1e6).toFixed(1)} MB before compression`,
  );
  for (const w of warnings) log(`warning: ${w}`);

  const used = [
    ...new Set([target.table, ...(cutoffTable === null ? [] : [cutoffTable]), ...features.flatMap((f) => f.tables)]),
  ].sort();
  const matrix: MatrixParams = {
    target: `${target.source}.${target.table}.${target.column}`,
    source: target.source,
    tables: used,
    sql: compileMatrix(dialect, spec, rows),
    columns,
  };
  const draft: FeatureSetDraft = {
    target,
    key: root.key,
    timeColumn: root.timeIndex,
    depth: options.depth,
    cutoff: cutoff.spec,
    cutoffAsked:
      options.column !== undefined || options.at !== undefined || options.table !== undefined || options.none === true,
    windowDays: options.windowDays,
    warnings,
    estimate,
    matrix: { rows: matrixRows, columns },
    features,
    graph: readGraph(graph, used),
    metadataVersion: facts.metadataVersion,
    maxFeatures: options.maxFeatures,
    seed: options.seed,
  };
  return { related, matrix, draft };
}

/**
 * The part of the graph the features read (the target's table, the cutoff table and every
 * table a feature aggregates or joins), as the feature set records it for scoring plans. A
 * table of the source that no feature reaches is left out, so a change to it changes nothing
 * here, and nothing downstream runs again for it.
 */
function readGraph(graph: EntityGraph, used: readonly string[]): FeatureSetDraft['graph'] {
  const keep = new Set(used);
  return {
    source: graph.source,
    tables: [...graph.tables.values()].filter((t) => keep.has(t.name)),
    edges: graph.edges.filter((e) => keep.has(e.child) && keep.has(e.parent)),
  };
}

/** Each feature with its lineage: a query computing it alone for every target row. */
function featureDefs(d: Dialect, spec: MatrixSpec, rows: TargetRows, targetTable: string): FeatureDef[] {
  return spec.features.map(({ name, node }) => {
    const leakage = leakageOf(node);
    return {
      name,
      kind: kindOf(node),
      primitive: primitiveOf(node),
      depth: depthOf(node),
      tables: [...tablesOf(node, new Set([targetTable]))],
      sql: compileMatrix(d, { ...spec, carry: [], features: [{ name, node }] }, rows),
      ...(leakage === undefined ? {} : { leakage }),
    };
  });
}

/** Child tables aggregated without a time index: their rows cannot be cut off. */
function untimedChildren(graph: EntityGraph, nodes: readonly FeatureNode[], hasCutoff: boolean): string[] {
  if (!hasCutoff) return [];
  const aggregated = new Set<string>();
  const walk = (n: FeatureNode): void => {
    if (n.type === 'aggregate') {
      if (n.scope.table.timeIndex === null && n.scope.from?.role === 'root') aggregated.add(n.scope.table.name);
      if (n.node) walk(n.node);
    } else if (n.type === 'transform') n.args.forEach(walk);
    else if (n.type === 'direct') walk(n.node);
  };
  nodes.forEach(walk);
  return [...aggregated]
    .sort()
    .map(
      (t) =>
        `${t} has no time index: all its rows are used, whatever their time. Confirm one with fathom tag ${t}.COLUMN --time-index if it has a date.`,
    );
}
