import type { Engine } from '../../engine/engine.js';
import type { FanOut } from '../../catalog/round-two-types.js';
import { parentKeys, scanChild, MAX_KEYS, type AggregateColumns } from './child-scan.js';
import { fanOut } from './fan-out.js';
import { fanOutInEngine } from './fan-out-sql.js';

interface Side {
  readonly source: string;
  readonly columns: readonly string[];
  readonly engine: Engine;
  readonly tableSql: string;
}

export interface LinkCounts {
  readonly fanOut: FanOut | null;
  readonly childRows: number;
  readonly orphanRows: number;
  /** Per sampled target key: child count and aggregates (child links of the target only). */
  readonly aggregates: ReadonlyMap<string, number[]> | null;
  readonly note: string | null;
}

/**
 * Fan-out, orphans and (for a child of the target) the aggregates per sampled target row.
 * Child and parent in one source: fan-out is one query in that engine, and the aggregates are
 * computed only for the sample's keys (the sample query joined in). Across sources: both key
 * sets are fetched (up to MAX_KEYS each) and matched here, as relationship inference does.
 */
export async function linkCounts(
  child: Side,
  parent: Side,
  columns: AggregateColumns | null,
  sample: { readonly keys: ReadonlySet<string>; readonly sql: string | null; readonly alias: string } | null,
): Promise<LinkCounts> {
  const restrict =
    sample?.sql && child.source === parent.source ? { sql: sample.sql, column: sample.alias } : undefined;
  if (child.source === parent.source) {
    const counts = await fanOutInEngine(child.engine, child, parent);
    const scan =
      columns && sample
        ? await scanChild(child.engine, child.tableSql, child.columns, columns, sample.keys, restrict)
        : null;
    return {
      ...counts,
      aggregates: scan && !scan.truncated ? scan.aggregates : null,
      note: scan?.truncated ? tooMany('child') : null,
    };
  }
  const scan = await scanChild(
    child.engine,
    child.tableSql,
    child.columns,
    columns ?? { numeric: [], categorical: [] },
    sample?.keys ?? new Set(),
  );
  if (scan.truncated)
    return { fanOut: null, childRows: scan.childRows, orphanRows: 0, aggregates: null, note: tooMany('child') };
  const keys = await parentKeys(parent.engine, parent.tableSql, parent.columns);
  if (!keys)
    return {
      fanOut: null,
      childRows: scan.childRows,
      orphanRows: 0,
      aggregates: sample ? scan.aggregates : null,
      note: tooMany('parent'),
    };
  const f = fanOut(keys, scan.counts);
  return {
    fanOut: f.fanOut,
    childRows: scan.childRows,
    orphanRows: f.orphanRows,
    aggregates: sample ? scan.aggregates : null,
    note: null,
  };
}

const tooMany = (side: string) => `the ${side} has more than ${MAX_KEYS} distinct keys across sources: not computed`;
