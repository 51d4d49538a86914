import type { DatePart } from '../engine/engine.js';
import type { GraphColumn, GraphEdge, GraphTable } from './entity-graph.js';
import type { FeatureKind } from '../catalog/feature-types.js';

/**
 * Features as expression trees over scopes. A scope is a table reached from the target by a
 * path of relationships: the target itself ('root'), a table whose rows point at the scope
 * before it ('child': aggregated), or the table a scope's rows point at ('parent': one row,
 * read directly). Names and SQL are both derived from these trees.
 */
export interface Scope {
  readonly id: number;
  readonly table: GraphTable;
  readonly role: 'root' | 'child' | 'parent';
  /** The scope this one is reached from (null for the root). */
  readonly from: Scope | null;
  /** The relationship followed: for 'child', this table's rows point at `from`; for 'parent', `from`'s rows point here. */
  readonly edge: GraphEdge | null;
  /** How names call this table: its name, or `name[fk]` when two relationships join the same pair. */
  readonly label: string;
  /** Tables on the path from the root, so no path visits a table twice. */
  readonly path: readonly string[];
}

export type AggOp =
  | 'COUNT'
  | 'SUM'
  | 'MEAN'
  | 'MIN'
  | 'MAX'
  | 'STD'
  | 'NUM_UNIQUE'
  | 'MODE'
  | 'PERCENT_TRUE'
  | 'TIME_SINCE_LAST'
  | 'TIME_SINCE_FIRST'
  | 'TREND';

export type TransformOp =
  | 'YEAR'
  | 'MONTH'
  | 'DAY'
  | 'HOUR'
  | 'DAY_OF_WEEK'
  | 'IS_WEEKEND'
  | 'TIME_SINCE'
  | 'TEXT_LENGTH'
  | 'WORD_COUNT'
  | 'RATIO';

export type FeatureNode =
  | { readonly type: 'column'; readonly scope: Scope; readonly column: GraphColumn }
  | { readonly type: 'transform'; readonly op: TransformOp; readonly args: readonly FeatureNode[] }
  /** A value of the parent row (`node` is evaluated in the parent scope). */
  | { readonly type: 'direct'; readonly scope: Scope; readonly node: FeatureNode }
  /** An aggregate over the child scope's rows in the current row's scope (`node` null for COUNT). */
  | { readonly type: 'aggregate'; readonly op: AggOp; readonly scope: Scope; readonly node: FeatureNode | null }
  /** Share of the target table's rows with this row's value. */
  | { readonly type: 'frequency'; readonly scope: Scope; readonly column: GraphColumn };

export const DATE_PARTS: Partial<Record<TransformOp, DatePart>> = {
  YEAR: 'year',
  MONTH: 'month',
  DAY: 'day',
  HOUR: 'hour',
  DAY_OF_WEEK: 'dow',
};

/** Aggregates whose value over an empty set of child rows is 0, not NULL. */
export const ZERO_WHEN_EMPTY: ReadonlySet<AggOp> = new Set<AggOp>(['COUNT', 'SUM', 'NUM_UNIQUE']);

export function kindOf(node: FeatureNode): FeatureKind {
  switch (node.type) {
    case 'column':
      return columnKind(node.column)!;
    case 'direct':
      return kindOf(node.node);
    case 'frequency':
      return 'numeric';
    case 'transform':
      return node.op === 'IS_WEEKEND' ? 'boolean' : node.op === 'DAY_OF_WEEK' ? 'categorical' : 'numeric';
    case 'aggregate':
      return node.op === 'MODE' ? 'categorical' : 'numeric';
  }
}

/** How a raw column can be used, or null when only transforms can read it (free text). */
export function columnKind(c: GraphColumn): FeatureKind | null {
  if (c.semantic === 'numeric' && ['integer', 'float', 'decimal'].includes(c.logical)) return 'numeric';
  if (c.semantic === 'boolean' && c.logical === 'boolean') return 'boolean';
  if (c.semantic === 'datetime' && (c.logical === 'date' || c.logical === 'timestamp')) return 'datetime';
  if (c.semantic === 'categorical' || c.semantic === 'boolean') return 'categorical';
  return null;
}

export function depthOf(node: FeatureNode): number {
  switch (node.type) {
    case 'column':
      return 0;
    case 'frequency':
      return 1;
    case 'transform':
      return 1 + Math.max(...node.args.map(depthOf));
    case 'direct':
      return 1 + depthOf(node.node);
    case 'aggregate':
      return node.node === null ? 1 : 1 + depthOf(node.node);
  }
}

/** The primitive a feature applies last ('IDENTITY' for a raw column, 'DIRECT' for a parent's value). */
export function primitiveOf(node: FeatureNode): string {
  switch (node.type) {
    case 'column':
      return 'IDENTITY';
    case 'frequency':
      return 'FREQUENCY';
    case 'direct':
      return 'DIRECT';
    default:
      return node.op;
  }
}

/** Tables a feature reads. */
export function tablesOf(node: FeatureNode, into: Set<string> = new Set()): Set<string> {
  switch (node.type) {
    case 'column':
    case 'frequency':
      into.add(node.scope.table.name);
      break;
    case 'transform':
      for (const a of node.args) tablesOf(a, into);
      break;
    case 'direct':
      into.add(node.scope.table.name);
      tablesOf(node.node, into);
      break;
    case 'aggregate':
      into.add(node.scope.table.name);
      if (node.node) tablesOf(node.node, into);
      break;
  }
  return into;
}

/** The first leakage alert on a column the feature reads. */
export function leakageOf(node: FeatureNode): string | undefined {
  switch (node.type) {
    case 'column':
    case 'frequency':
      return node.column.leakage === undefined
        ? undefined
        : `${node.scope.table.name}.${node.column.name}: ${node.column.leakage}`;
    case 'transform':
      return node.args.map(leakageOf).find((x) => x !== undefined);
    case 'direct':
      return leakageOf(node.node);
    case 'aggregate':
      return node.node ? leakageOf(node.node) : undefined;
  }
}
