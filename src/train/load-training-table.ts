import { join } from 'node:path';
import type { Workspace } from '../workspace/open-workspace.js';
import type { ColumnInfo, Engine, Row } from '../engine/engine.js';
import { readColumns, type Columns } from '../engine/read-columns.js';
import { openSourceEngine } from '../sources/open-source-engine.js';
import { SOURCES, TABLES, tableKey, type SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import { badInput, FathomError } from '../util/fathom-error.js';
import type { LabelledDataset, TaskKind } from '../learn/dataset.js';
import { buildFeatures, planFeatures, toNumbers, valueAt, type FeaturePlan } from '../features/feature-plan.js';
import { targetValues } from '../features/infer-task.js';
import { tableReview } from '../metadata/table-review.js';
import type { FeatureSetRecord } from '../features/feature-set-record.js';
import { withMatrix } from '../features/with-matrix.js';
import { LOGICAL_OF } from '../features/matrix-column.js';

export interface TrainingRequest {
  readonly table: string;
  readonly column: string;
  readonly source?: string;
  readonly timeColumn?: string;
  /** Rows sharing a value here stay in one fold (group k-fold), e.g. a customer id. */
  readonly groupColumn?: string;
  readonly task?: TaskKind;
}

export interface TrainingData {
  readonly source: string;
  readonly table: SourceTable;
  readonly dataset: LabelledDataset;
  readonly plan: FeaturePlan;
  /** Rows left out because the target (or the time column) was null. */
  readonly droppedRows: number;
  /** The metadata version of the newest review decision about this table (0: none). */
  readonly metadataVersion: number;
  /** The feature matrix the rows came from, when trained on related tables' features. */
  readonly featureSet?: FeatureSetRecord;
}

/** Find a table by name across sources (or in the one named), with a clear error otherwise. */
export async function findTable(
  ws: Workspace,
  table: string,
  source?: string,
): Promise<{ source: string; record: SourceRecord; table: SourceTable }> {
  const ledger = await ws.ledger();
  const sources = await ledger.listState<SourceRecord>(SOURCES);
  if (source !== undefined && !sources.some((s) => s.key === source)) {
    throw badInput(
      `No source named ${source}`,
      `List them with \`fathom sources\`; connected: ${sources.map((s) => s.key).join(', ') || 'none'}.`,
    );
  }
  const hits = sources.filter((s) => (source === undefined || s.key === source) && s.value.tables.includes(table));
  if (hits.length === 0) {
    const known = sources.flatMap((s) => s.value.tables.map((t) => `${s.key}.${t}`));
    throw badInput(
      `No table named ${table}${source ? ` in source ${source}` : ''}`,
      known.length
        ? `Known tables: ${known.slice(0, 20).join(', ')}.`
        : 'Connect a source first: fathom connect NAME LOCATION',
    );
  }
  if (hits.length > 1)
    throw badInput(
      `Table ${table} exists in several sources (${hits.map((h) => h.key).join(', ')})`,
      'Say which with --source NAME.',
    );
  const hit = hits[0]!;
  const t = await ledger.getState<SourceTable>(TABLES, tableKey(hit.key, table));
  return { source: hit.key, record: hit.value, table: t!.value };
}

/** Read a table from its source and turn it into a labelled dataset with a feature plan. */
export async function loadTrainingTable(
  ws: Workspace,
  req: TrainingRequest,
  vault: () => Promise<import('../workspace/vault/vault.js').Vault>,
  deadline?: number | null,
  featureSet?: FeatureSetRecord,
): Promise<TrainingData> {
  const found = await findTable(ws, req.table, req.source);
  const info = featureSet ? matrixColumns(featureSet, req.timeColumn) : found.table.columns;
  const col = (name: string, what: string): ColumnInfo => {
    const c = info.find((x) => x.name === name);
    if (!c)
      throw badInput(
        `Table ${req.table} has no column ${name} (${what})`,
        `Its columns: ${info.map((x) => x.name).join(', ')}.`,
      );
    return c;
  };
  col(req.column, 'the target');
  if (req.groupColumn !== undefined) col(req.groupColumn, '--group-column');
  if (req.timeColumn !== undefined) {
    const t = col(req.timeColumn, '--time-column');
    if (!['date', 'timestamp', 'integer', 'float', 'decimal'].includes(t.logicalType)) {
      throw badInput(
        `Time column ${req.timeColumn} is ${t.physicalType}, not a date, timestamp or number`,
        'Pass a date or timestamp column as --time-column.',
      );
    }
  }
  const read = (engine: Engine, from: string) =>
    readColumns(
      withDeadline(engine, deadline, req.table),
      `SELECT ${info.map((c) => engine.dialect.quoteIdent(c.name)).join(', ')} FROM ${from}`,
    );
  let columns: Columns;
  if (featureSet) {
    columns = await withMatrix(
      await ws.objects(),
      featureSet.matrix.object,
      join(ws.paths.cache, 'features-tmp'),
      read,
    );
  } else {
    const engine = await openSourceEngine(found.record, [found.table], {
      root: ws.paths.root,
      vault,
      duckdb: ws.config.engine,
      tempDirectory: join(ws.paths.cache, 'duckdb-tmp'),
    });
    try {
      columns = await read(engine, engine.dialect.quoteTable(found.table.ref));
    } finally {
      await engine.close();
    }
  }
  const at = (name: string) => columns.columns[info.findIndex((c) => c.name === name)]!;
  const target = targetValues(
    `${req.table}.${req.column}`,
    col(req.column, 'the target'),
    at(req.column),
    columns.rows,
    req.task,
  );
  let keep = target.keep;
  let y = target.target;
  let time: Float64Array | undefined;
  if (req.timeColumn !== undefined) {
    const t = toNumbers(
      at(req.timeColumn),
      col(req.timeColumn, '').logicalType === 'date' || col(req.timeColumn, '').logicalType === 'timestamp'
        ? 'datetime'
        : 'numeric',
    );
    const ok = Array.from(keep.keys()).filter((j) => !Number.isNaN(t[keep[j]!]!));
    y = Float64Array.from(ok, (j) => y[j]!);
    keep = Int32Array.from(ok, (j) => keep[j]!);
    time = Float64Array.from(keep, (r) => t[r]!);
  }
  let groups: Int32Array | undefined;
  if (req.groupColumn !== undefined) {
    const g = at(req.groupColumn);
    const ids = new Map<string, number>();
    groups = Int32Array.from(keep, (r) => {
      const v = String(valueAt(g, r));
      let id = ids.get(v);
      if (id === undefined) ids.set(v, (id = ids.size));
      return id;
    });
  }
  const exclude = new Map<string, string>([[req.column, '']]);
  if (req.groupColumn !== undefined) exclude.set(req.groupColumn, 'group column: used to split, not as a feature');
  if (req.timeColumn !== undefined) exclude.set(req.timeColumn, 'time index: used to split, not as a feature');
  for (const k of featureSet?.key ?? [])
    if (!exclude.has(k)) exclude.set(k, 'key: joins the related tables, not a feature');
  // Columns exploration found (or review marked) to identify people are never features: a
  // model must not learn from names or phone numbers, and serving would then need them.
  const review = await tableReview(ws, found.source, found.table);
  for (const [name, kind] of review.pii) {
    if (!exclude.has(name))
      exclude.set(
        name,
        `personal data (${kind}), ${review.piiMarked.has(name) ? 'marked in metadata review' : 'found by fathom explore'}`,
      );
  }
  for (const name of review.ignored) if (!exclude.has(name)) exclude.set(name, 'ignored in metadata review');
  const planned = planFeatures(info, columns.columns, columns.rows, exclude);
  // Columns synthesis never put in the matrix (personal data, ignored) keep their reason in the card.
  const absent = featureSet
    ? [...exclude]
        .filter(([name, why]) => why !== '' && !info.some((c) => c.name === name))
        .map(([column, reason]) => ({ column, reason }))
    : [];
  const plan: FeaturePlan = { features: planned.features, dropped: [...planned.dropped, ...absent] };
  if (plan.features.length === 0) {
    throw badInput(
      `Table ${req.table} has no usable feature columns besides the target`,
      `Dropped: ${plan.dropped.map((d) => `${d.column} (${d.reason})`).join('; ') || 'none'}.`,
    );
  }
  const dataset: LabelledDataset = {
    rows: keep.length,
    features: buildFeatures(plan, columns.columns, columns.rows, keep),
    task: target.task,
    target: y,
    targetName: req.column,
    ...(time ? { time } : {}),
    ...(groups ? { groups } : {}),
  };
  return {
    source: found.source,
    table: found.table,
    dataset,
    plan,
    droppedRows: columns.rows - keep.length,
    metadataVersion: review.version,
    ...(featureSet ? { featureSet } : {}),
  };
}

/**
 * The matrix columns training reads: the keys, the target, the selected features, and the
 * carried time index when training splits on it (it is no feature: synthesis uses its parts).
 */
function matrixColumns(fs: FeatureSetRecord, splitColumn: string | undefined): ColumnInfo[] {
  const wanted = new Set([
    ...fs.key,
    fs.target.column,
    ...(fs.timeColumn !== null && fs.timeColumn === splitColumn ? [fs.timeColumn] : []),
    ...fs.selection.kept,
  ]);
  return fs.matrix.columns
    .filter((c) => wanted.has(c.name))
    .map((c) => ({ name: c.name, physicalType: c.type, logicalType: LOGICAL_OF[c.type], nullable: true }));
}

/**
 * The engine, with a stream that stops at the deadline: the budget covers reading the table
 * too. A timer cannot do this, since converting a batch of rows never yields to timers; the
 * check runs between batches, and stopping the iteration closes the query's connection.
 */
function withDeadline(engine: Engine, deadline: number | null | undefined, table: string): Engine {
  if (deadline == null) return engine;
  async function* guarded(batches: AsyncIterable<Row[]>): AsyncGenerator<Row[]> {
    for await (const batch of batches) {
      if (Date.now() >= deadline!) throw outOfTime(table);
      yield batch;
    }
  }
  return Object.create(engine, {
    stream: { value: (...args: Parameters<Engine['stream']>) => guarded(engine.stream(...args)) },
  }) as Engine;
}

function outOfTime(table: string): FathomError {
  return new FathomError('failed', `The time budget ran out while reading table ${table}`, {
    hint: 'Raise --time-budget: reading the table alone takes longer.',
  });
}
