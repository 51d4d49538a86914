import type { EntityGraph, GraphEdge, GraphTable } from './entity-graph.js';
import { columnKind, kindOf, type AggOp, type FeatureNode, type Scope, type TransformOp } from './feature-tree.js';

/** Numeric columns of the target table paired into ratios: at most C(5, 2) = 10 ratios. */
const RATIO_COLUMNS = 5;
/** A categorical column with more distinct values than this gets a frequency encoding. */
const HIGH_CARDINALITY = 20;
const NUMERIC_AGGS: readonly AggOp[] = ['SUM', 'MEAN', 'MIN', 'MAX', 'STD'];

export interface SynthesisOptions {
  readonly depth: number;
  /** Whether rows have a cutoff time (time-since primitives need one). */
  readonly cutoff: boolean;
  /** The target table's columns that are never read: the target itself. */
  readonly exclude: ReadonlySet<string>;
  /** The target table's time index: kept for time splits, not a raw feature (its date parts are). */
  readonly timeColumn: string | null;
  /** The target table's column giving each row's cutoff: time since it is always 0. */
  readonly cutoffColumn: string | null;
}

export interface Synthesis {
  readonly root: Scope;
  readonly features: readonly FeatureNode[];
}

/**
 * Deep Feature Synthesis from the target table: its own columns and their transforms, the
 * values of the rows it points at, and aggregates of the rows that point at it, stacked to
 * `depth`. Enumeration order is fixed, so the same graph gives the same features in the same order.
 */
export function synthesize(graph: EntityGraph, target: string, options: SynthesisOptions): Synthesis {
  let nextId = 0;
  const scope = (table: GraphTable, role: Scope['role'], from: Scope | null, edge: GraphEdge | null): Scope => {
    const twins =
      edge === null ? 0 : graph.edges.filter((e) => e.child === edge.child && e.parent === edge.parent).length;
    const fk = role === 'child' ? edge!.childColumns : edge?.childColumns;
    const label = twins > 1 && fk ? `${table.name}[${fk.join(',')}]` : table.name;
    return { id: nextId++, table, role, from, edge, label, path: [...(from?.path ?? []), table.name] };
  };
  const root = scope(graph.tables.get(target)!, 'root', null, null);

  const rowFeatures = (s: Scope, budget: number): FeatureNode[] => {
    const out: FeatureNode[] = [];
    const isRoot = s.role === 'root';
    const columns = s.table.columns.filter((c) => !(isRoot && options.exclude.has(c.name)));
    for (const c of columns) {
      const kind = columnKind(c);
      if (kind !== null && !(isRoot && c.name === options.timeColumn))
        out.push({ type: 'column', scope: s, column: c });
    }
    if (budget >= 1) out.push(...transforms(s, columns, isRoot, options));
    if (budget >= 1) {
      for (const e of graph.edges.filter((x) => x.child === s.table.name && !s.path.includes(x.parent))) {
        const p = scope(graph.tables.get(e.parent)!, 'parent', s, e);
        // A parent's own aggregates would include rows of its other children after the cutoff: only its values are read.
        for (const f of rowFeatures(p, budget - 1))
          if (f.type !== 'aggregate') out.push({ type: 'direct', scope: p, node: f });
      }
    }
    if (budget >= 1 && s.role !== 'parent') {
      for (const e of graph.edges.filter((x) => x.parent === s.table.name && !s.path.includes(x.child))) {
        const c = scope(graph.tables.get(e.child)!, 'child', s, e);
        out.push({ type: 'aggregate', op: 'COUNT', scope: c, node: null });
        for (const f of rowFeatures(c, budget - 1)) out.push(...aggregates(c, f, options));
      }
    }
    return out;
  };
  return { root, features: rowFeatures(root, options.depth) };
}

function transforms(
  s: Scope,
  columns: GraphTable['columns'],
  isRoot: boolean,
  options: SynthesisOptions,
): FeatureNode[] {
  const out: FeatureNode[] = [];
  const t = (op: TransformOp, ...args: FeatureNode[]): FeatureNode => ({ type: 'transform', op, args });
  for (const c of columns) {
    const col: FeatureNode = { type: 'column', scope: s, column: c };
    const kind = columnKind(c);
    if (kind === 'datetime') {
      // Date parts describe a row's own time; on child rows only the weekly pattern is aggregated.
      const parts: TransformOp[] = isRoot
        ? ['YEAR', 'MONTH', 'DAY', ...(c.logical === 'timestamp' ? (['HOUR'] as const) : [])]
        : [];
      for (const op of [...parts, 'DAY_OF_WEEK', 'IS_WEEKEND'] as TransformOp[]) out.push(t(op, col));
      // The child's time index already gives TIME_SINCE_LAST/FIRST.
      const sinceItself = isRoot ? c.name === options.cutoffColumn : c.name === s.table.timeIndex;
      if (options.cutoff && !sinceItself) out.push(t('TIME_SINCE', col));
    } else if (c.semantic === 'text') {
      out.push(t('TEXT_LENGTH', col), t('WORD_COUNT', col));
    } else if (isRoot && kind === 'categorical' && c.distinct > HIGH_CARDINALITY) {
      out.push({ type: 'frequency', scope: s, column: c });
    }
  }
  if (isRoot) {
    const numeric = columns.filter((c) => columnKind(c) === 'numeric').slice(0, RATIO_COLUMNS);
    for (let i = 0; i < numeric.length; i++) {
      for (let j = i + 1; j < numeric.length; j++) {
        out.push(
          t(
            'RATIO',
            { type: 'column', scope: s, column: numeric[i]! },
            { type: 'column', scope: s, column: numeric[j]! },
          ),
        );
      }
    }
  }
  return out;
}

/** The aggregates of one child row feature, by its kind. */
function aggregates(c: Scope, f: FeatureNode, options: SynthesisOptions): FeatureNode[] {
  const agg = (op: AggOp): FeatureNode => ({ type: 'aggregate', op, scope: c, node: f });
  switch (kindOf(f)) {
    case 'numeric': {
      const trend = options.cutoff && f.type === 'column' && c.table.timeIndex !== null ? [agg('TREND')] : [];
      return [...NUMERIC_AGGS.map(agg), ...trend];
    }
    case 'categorical':
      return [agg('MODE'), agg('NUM_UNIQUE')];
    case 'boolean':
      return [agg('PERCENT_TRUE')];
    case 'datetime':
      // Only the time index: when the entity's activity began and last happened, before the cutoff.
      return options.cutoff && f.type === 'column' && f.column.name === c.table.timeIndex
        ? [agg('TIME_SINCE_LAST'), agg('TIME_SINCE_FIRST')]
        : [];
  }
}
