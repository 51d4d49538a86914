import type { ColumnInfo, Dialect, Engine } from '../engine/engine.js';
import { badInput } from '../util/fathom-error.js';
import type { EntityGraph, GraphTable } from './entity-graph.js';
import type { CutoffSpec } from '../catalog/feature-types.js';

const DAY = 86400;
/** A time index most child rows come at or after is a creation time, not a prediction time. */
const CREATION_SHARE = 0.5;

export interface CutoffAsked {
  readonly column?: string;
  /** `TABLE` or `TABLE.COLUMN`: a cutoff table of the target's source. */
  readonly table?: string;
  readonly at?: string;
  readonly none?: boolean;
}

export interface CutoffChoice {
  readonly spec: CutoffSpec;
  /** Why this cutoff, in words, and what the person may want to change. */
  readonly warnings: readonly string[];
}

/**
 * Each target row's cutoff: what the person asked for, else the target table's time index,
 * else none (every row used, said as a warning). A time index that most child rows come after
 * (a customer's sign-up date) marks when the row began, not when its target was observed: a
 * cutoff there would leave no history, so the cutoff becomes the data's snapshot time, the
 * midnight after the latest child event, and the warning says how to choose otherwise.
 */
export async function resolveCutoff(
  engine: Engine,
  graph: EntityGraph,
  root: GraphTable,
  asked: CutoffAsked,
  target: string,
  columnsOf: (table: string) => readonly ColumnInfo[] | undefined,
): Promise<CutoffChoice> {
  const given = [
    asked.column !== undefined,
    asked.at !== undefined,
    asked.none === true,
    asked.table !== undefined,
  ].filter(Boolean).length;
  if (given > 1)
    throw badInput(
      'Give at most one of --cutoff-column, --cutoff-time, --cutoff-table and --no-cutoff',
      'Each target row has one cutoff.',
    );
  if (asked.table !== undefined) return { spec: cutoffTable(asked.table, root, target, columnsOf), warnings: [] };
  if (asked.none)
    return {
      spec: { kind: 'none' },
      warnings: [
        'No cutoff (--no-cutoff): every child row is used, including rows recorded after the target was known.',
      ],
    };
  if (asked.at !== undefined) return { spec: { kind: 'fixed', at: isoInstant(asked.at) }, warnings: [] };
  if (asked.column !== undefined) {
    const c =
      root.columns.find((x) => x.name === asked.column) ??
      (root.timeIndex === asked.column ? { name: asked.column, logical: 'timestamp' } : undefined);
    if (!c)
      throw badInput(
        `Table ${root.name} has no usable column ${asked.column} for --cutoff-column`,
        `Pass a date or timestamp column of ${root.name}.`,
      );
    if (c.logical !== 'date' && c.logical !== 'timestamp')
      throw badInput(
        `--cutoff-column ${root.name}.${asked.column} is ${c.logical}, not a date or timestamp`,
        'Pass a date or timestamp column.',
      );
    return { spec: { kind: 'column', column: asked.column }, warnings: [] };
  }
  if (root.timeIndex === null) {
    return {
      spec: { kind: 'none' },
      warnings: [
        `${root.name} has no time index: every child row is used, whatever its time, so features may see what happened after the target was known. Confirm one with fathom tag ${root.name}.COLUMN --time-index, or pass --cutoff-time.`,
      ],
    };
  }
  const children = graph.edges.filter(
    (e) => e.parent === root.name && e.child !== root.name && graph.tables.get(e.child)!.timeIndex !== null,
  );
  let rows = 0;
  let after = 0;
  let latest = Number.NEGATIVE_INFINITY;
  for (const e of children) {
    const m = await creationStats(engine, graph.tables.get(e.child)!, root, e.childColumns, e.parentColumns);
    rows += m.rows;
    after += m.after;
    if (m.latest !== null) latest = Math.max(latest, m.latest);
  }
  if (rows === 0 || after / rows < CREATION_SHARE)
    return { spec: { kind: 'time-index', column: root.timeIndex }, warnings: [] };
  const at = new Date((Math.floor(latest / DAY) + 1) * DAY * 1000).toISOString();
  return {
    spec: { kind: 'fixed', at },
    warnings: [
      `${((100 * after) / rows).toFixed(0)}% of child rows come at or after ${root.name}.${root.timeIndex}, so it records when a row began, not when its target was known. ` +
        `Using the data's snapshot time ${at} (the midnight after the latest child event) as every row's cutoff. If the target was observed at another time, pass --cutoff-time or --cutoff-column.`,
    ],
  };
}

/** Check a cutoff table: it holds the target's key columns and one date or timestamp column (or the one named). */
function cutoffTable(
  text: string,
  root: GraphTable,
  target: string,
  columnsOf: (table: string) => readonly ColumnInfo[] | undefined,
): CutoffSpec {
  const dot = text.indexOf('.');
  const table = dot < 0 ? text : text.slice(0, dot);
  const named = dot < 0 ? undefined : text.slice(dot + 1);
  const columns = columnsOf(table);
  if (!columns)
    throw badInput(
      `No table ${table} in the target's source for --cutoff-table`,
      'Put the cutoff file beside the data (same source), run fathom connect again, and name it: --cutoff-table cutoffs[.COLUMN].',
    );
  if (table === root.name)
    throw badInput(
      '--cutoff-table cannot be the target table itself',
      'Use --cutoff-column for a column of the target table.',
    );
  const missing = root.key!.filter((k) => !columns.some((c) => c.name === k));
  if (missing.length > 0)
    throw badInput(
      `Cutoff table ${table} lacks the key column(s) ${missing.join(', ')} of ${root.name}`,
      `Give it columns ${root.key!.join(', ')} and a cutoff date or time.`,
    );
  const times = columns.filter(
    (c) => (c.logicalType === 'date' || c.logicalType === 'timestamp') && !root.key!.includes(c.name),
  );
  const column = named ?? (times.length === 1 ? times[0]!.name : undefined);
  if (column === undefined) {
    throw badInput(
      `Cutoff table ${table} has ${times.length === 0 ? 'no' : 'several'} date or timestamp columns${times.length ? ` (${times.map((c) => c.name).join(', ')})` : ''}`,
      `Name the cutoff column: --cutoff-table ${table}.COLUMN.`,
    );
  }
  const c = columns.find((x) => x.name === column);
  if (!c)
    throw badInput(
      `Cutoff table ${table} has no column ${column}`,
      `Its columns: ${columns.map((x) => x.name).join(', ')}.`,
    );
  if (c.logicalType !== 'date' && c.logicalType !== 'timestamp')
    throw badInput(
      `${table}.${column} is ${c.physicalType}, not a date or timestamp`,
      'The cutoff column must hold dates or times.',
    );
  return { kind: 'table', table, column, label: columns.some((x) => x.name === target) };
}

async function creationStats(
  engine: Engine,
  child: GraphTable,
  root: GraphTable,
  fk: readonly string[],
  pk: readonly string[],
): Promise<{ rows: number; after: number; latest: number | null }> {
  const d: Dialect = engine.dialect;
  const q = (x: string) => d.quoteIdent(x);
  const on = fk.map((c, i) => `c.${q(c)} = p.${q(pk[i]!)}`).join(' AND ');
  const ct = d.epochSeconds(`c.${q(child.timeIndex!)}`);
  const pt = d.epochSeconds(`p.${q(root.timeIndex!)}`);
  const r = (
    await engine.query(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN ${ct} >= ${pt} THEN 1 ELSE 0 END) AS a, MAX(${ct}) AS l FROM ${d.quoteTable(child.ref)} AS c JOIN ${d.quoteTable(root.ref)} AS p ON ${on}`,
    )
  ).rows[0]!;
  return { rows: Number(r.n), after: Number(r.a ?? 0), latest: r.l === null ? null : Number(r.l) };
}

/** Validate and normalise a user-given instant ('2025-06-30', '2025-06-30T12:00:00Z'). */
export function isoInstant(text: string): string {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms))
    throw badInput(
      `--cutoff-time ${JSON.stringify(text)} is not a date or time`,
      'Write it as ISO 8601: 2025-06-30 or 2025-06-30T12:00:00Z.',
    );
  return new Date(ms).toISOString();
}

/** The SQL giving a target row's cutoff in epoch seconds (`row`: the target table's alias). */
export function cutoffSql(d: Dialect, spec: CutoffSpec, row: string): string {
  switch (spec.kind) {
    case 'time-index':
    case 'column':
    case 'table':
      return d.epochSeconds(`${row}.${d.quoteIdent(spec.column)}`);
    case 'fixed':
      return `CAST(${Date.parse(spec.at) / 1000} AS DOUBLE PRECISION)`;
    case 'none':
      return 'CAST(NULL AS DOUBLE PRECISION)';
  }
}
