import type { FeatureNode, Scope } from './feature-tree.js';

/** What a child scope's rows are restricted to, as names say it. */
export interface TimeFilter {
  readonly cutoff: boolean;
  readonly windowDays: number | null;
}

/**
 * A feature's readable name, relative to the scope it is evaluated in: `MEAN(orders.total_amount
 * WHERE orders.ordered_at < cutoff)`, `MODE(orders.DAY_OF_WEEK(ordered_at) WHERE …)`,
 * `customers.plan` (a parent's value). The name is also the feature's column in the matrix.
 */
export function featureName(node: FeatureNode, filter: TimeFilter): string {
  switch (node.type) {
    case 'column':
      return node.column.name;
    case 'frequency':
      return `FREQUENCY(${node.column.name})`;
    case 'transform':
      return node.op === 'RATIO'
        ? `RATIO(${featureName(node.args[0]!, filter)} / ${featureName(node.args[1]!, filter)})`
        : `${node.op}(${featureName(node.args[0]!, filter)})`;
    case 'direct':
      return `${node.scope.label}.${featureName(node.node, filter)}`;
    case 'aggregate': {
      const inner = node.node === null ? node.scope.label : `${node.scope.label}.${featureName(node.node, filter)}`;
      return `${node.op}(${inner}${whereClause(node.scope, filter)})`;
    }
  }
}

/** ` WHERE orders.ordered_at < cutoff`, or '' when the child rows are not filtered by time. */
export function whereClause(scope: Scope, filter: TimeFilter): string {
  const t = scope.table.timeIndex;
  if (!filter.cutoff || t === null) return '';
  const at = `${scope.label}.${t}`;
  return filter.windowDays === null
    ? ` WHERE ${at} < cutoff`
    : ` WHERE cutoff - ${filter.windowDays} days <= ${at} < cutoff`;
}
