import type { Workspace } from '../workspace/open-workspace.js';
import type { Dialect } from '../engine/engine.js';
import { duckDbDialect } from '../engine/duckdb/duckdb-dialect.js';
import { postgresDialect } from '../engine/postgres/postgres-dialect.js';
import { sqliteDialect } from '../engine/sqlite/sqlite-dialect.js';
import { reviewedCatalog } from '../metadata/reviewed-catalog.js';
import { openEngine, sourceTable } from '../explore/explore-context.js';
import { reviewedFactsOf } from '../catalog/reviewed-facts-of.js';
import { runAction } from '../orchestrate/run-action.js';
import type { SourceRecord } from '../sources/source-actions.js';
import type { ConnectEnv } from '../sources/record-source.js';
import { exploreWorkspace } from '../metadata/explore-workspace.js';
import { confirmedTarget } from '../metadata/table-review.js';
import type { SourceTable } from '../sources/source.js';
import { badInput } from '../util/fathom-error.js';
import { compileMatrix, type MatrixSpec, type TargetRows } from './compile-matrix.js';
import { entityGraph, type EntityGraph } from './entity-graph.js';
import { featureName } from './feature-name.js';
import { depthOf, kindOf, leakageOf, primitiveOf, tablesOf, type FeatureNode, type Scope } from './feature-tree.js';
import { featureSetKind, type FeatureSetParams } from './feature-set-kind.js';
import type { FeatureSetRecord } from './feature-set-record.js';
import type { CutoffSpec, FeatureDef } from '../catalog/feature-types.js';
import type { ColumnRef } from '../catalog/reviewed-facts.js';
import { matrixKind, type MatrixParams } from './matrix-kind.js';
import { cutoffSql, resolveCutoff, type CutoffAsked } from './resolve-cutoff.js';
import type { ScoringPlan } from './scoring-plan.js';
import { synthesize } from './synthesize.js';
import { columnTypeOf, featureColumnType, type MatrixColumn } from './matrix-column.js';
import { runContextFor } from '../orchestrate/run-context.js';

export interface FeatureOptions extends CutoffAsked {
  readonly depth: number;
  readonly windowDays: number | null;
  readonly maxFeatures: number;
  readonly seed: number;
  readonly log?: (line: string) => void;
  /** Build nothing (return null) when no relationship touches the target's table. */
  readonly ifRelated?: boolean;
  /**
   * Explore the target's source first (incremental: only changed tables are profiled again),
   * so edited data gets a new fingerprint and features read its current columns and types.
   */
  readonly refresh?: ConnectEnv;
  /** Sources the caller has just re-discovered (train does): explore skips that step for them. */
  readonly refreshed?: ReadonlySet<string>;
}

export const DEFAULT_FEATURE_OPTIONS = { depth: 2, windowDays: null, maxFeatures: 60, seed: 42 } as const;

export interface FeatureSetOutcome {
  readonly record: FeatureSetRecord;
  /** Whether the matrix was reused from an earlier run (same data, metadata and options). */
  readonly reused: boolean;
  readonly ms: number;
}

/**
 * Build the feature matrix of the confirmed target: synthesize features over the reviewed
 * relationship graph, compile them to one query, materialise it as Parquet (a ledger action,
 * reused while data, metadata and options are unchanged), then select and rank the features.
 */
export async function buildFeatureSet(
  ws: Workspace,
  options: FeatureOptions & { readonly ifRelated: true },
): Promise<FeatureSetOutcome | null>;
export async function buildFeatureSet(ws: Workspace, options: FeatureOptions): Promise<FeatureSetOutcome>;
export async function buildFeatureSet(ws: Workspace, options: FeatureOptions): Promise<FeatureSetOutcome | null> {
  const t0 = performance.now();
  const log = options.log ?? (() => undefined);
  checkOptions(options);
  if (options.refresh) {
    const confirmed = await confirmedTarget(ws);
    if (confirmed)
      await exploreWorkspace(ws, options.refresh, {
        source: confirmed.source,
        workers: 0,
        ...(options.refreshed ? { refreshed: options.refreshed } : {}),
      });
  }
  const catalog = await reviewedCatalog(ws);
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
  if (options.ifRelated && !fullGraph.edges.some((e) => e.child === target.table || e.parent === target.table))
    return null;
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
  const run = { ...(await runContextFor(ws, log)), metadataVersion: facts.metadataVersion };
  const matrixParams: MatrixParams = {
    source: target.source,
    tables: used,
    sql: compileMatrix(dialect, spec, rows),
    columns,
  };
  const matrix = await runAction(
    run,
    matrixKind,
    matrixParams,
    used.map((t) => ({ fingerprint: tables.get(t)!.table.fingerprint })),
  );
  const params: FeatureSetParams = {
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
    matrix: {
      fingerprint: matrix.fingerprint,
      object: matrix.output,
      bytes: matrix.value.byteLength,
      rows: matrixRows,
      columns,
    },
    features,
    graph: { source: graph.source, tables: [...graph.tables.values()], edges: graph.edges },
    metadataVersion: facts.metadataVersion,
    maxFeatures: options.maxFeatures,
    seed: options.seed,
  };
  const selected = await runAction(run, featureSetKind, params, [{ fingerprint: matrix.fingerprint }]);
  return { record: { ...params, selection: selected.value }, reused: matrix.reused, ms: performance.now() - t0 };
}

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

function checkOptions(options: FeatureOptions): void {
  if (!Number.isInteger(options.depth) || options.depth < 1 || options.depth > 4)
    throw badInput(
      `--depth must be 1, 2, 3 or 4, got ${options.depth}`,
      'Depth 2 (the default) aggregates children and their children.',
    );
  if (options.windowDays !== null && !(options.windowDays > 0))
    throw badInput(`--window must be a positive number of days, got ${options.windowDays}`, 'For example --window 90.');
  if (!Number.isInteger(options.maxFeatures) || options.maxFeatures < 1)
    throw badInput(
      `--max-features must be a positive integer, got ${options.maxFeatures}`,
      'For example --max-features 60.',
    );
}

/**
 * The synthesized features with their names, first of each name kept. Building a set and
 * compiling a scoring plan both come here, so a recorded set's names find the same trees.
 */
function namedFeatures(
  graph: EntityGraph,
  target: ColumnRef,
  timeColumn: string | null,
  cutoff: CutoffSpec,
  depth: number,
  windowDays: number | null,
): { root: Scope; named: Array<{ name: string; node: FeatureNode }> } {
  const hasCutoff = cutoff.kind !== 'none';
  const cutoffColumn = cutoff.kind === 'column' || cutoff.kind === 'time-index' ? cutoff.column : null;
  const synthesis = synthesize(graph, target.table, {
    depth,
    cutoff: hasCutoff,
    exclude: new Set([target.column]),
    timeColumn,
    cutoffColumn,
  });
  const filter = { cutoff: hasCutoff, windowDays };
  const seen = new Set<string>();
  const named = synthesis.features
    .map((node) => ({ name: featureName(node, filter), node }))
    .filter((f) => (seen.has(f.name) ? false : (seen.add(f.name), true)));
  return { root: synthesis.root, named };
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
