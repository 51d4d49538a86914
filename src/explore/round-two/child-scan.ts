import type { Engine } from '../../engine/engine.js';
import { keyPresent, keyText } from './key-text.js';

/** Distinct keys held per side, as relationship inference (relate-values.ts MAX_DISTINCT_VALUES). */
export const MAX_KEYS = 2_000_000;

/** Child columns aggregated per parent row. */
export interface AggregateColumns {
  readonly numeric: readonly string[];
  readonly categorical: readonly string[];
}

export interface ChildScan {
  /** Child rows per key (every key, for fan-out and orphans). */
  readonly counts: Map<string, number>;
  /** Per wanted key: the row count, mean and sum of each numeric column, then distinct count of each categorical. */
  readonly aggregates: Map<string, number[]>;
  readonly childRows: number;
  /** More than MAX_KEYS distinct keys: counts are incomplete and not used. */
  readonly truncated: boolean;
}

/**
 * One GROUP BY on the child, pushed to its engine: rows per key and the aggregates, streamed
 * so that only the counts and the wanted keys' aggregates are held. With `only`, the counts
 * cover only those keys (fan-out is then computed by fanOutInEngine).
 */
export async function scanChild(
  engine: Engine,
  tableSql: string,
  keyColumns: readonly string[],
  columns: AggregateColumns,
  wanted: ReadonlySet<string>,
  only?: { readonly sql: string; readonly column: string },
): Promise<ChildScan> {
  const d = engine.dialect;
  const aggs = [
    ...columns.numeric.flatMap((c, i) => [
      `AVG(CAST(${d.quoteIdent(c)} AS DOUBLE PRECISION)) AS m${i}`,
      `SUM(CAST(${d.quoteIdent(c)} AS DOUBLE PRECISION)) AS s${i}`,
    ]),
    ...columns.categorical.map((c, i) => `COUNT(DISTINCT ${d.castText(d.quoteIdent(c))}) AS d${i}`),
  ];
  // `only`: a query in the same engine whose `column` holds the keys wanted (the target sample),
  // so that only those groups are computed and fetched.
  const restrict = only
    ? ` AND ${keyText(d, keyColumns)} IN (SELECT fathom_only.${d.quoteIdent(only.column)} FROM (${only.sql}) AS fathom_only)`
    : '';
  const sql = `SELECT ${keyText(d, keyColumns)} AS k, COUNT(*) AS n${aggs.map((a) => `, ${a}`).join('')} FROM ${tableSql} WHERE ${keyPresent(d, keyColumns)}${restrict} GROUP BY 1`;
  const counts = new Map<string, number>();
  const aggregates = new Map<string, number[]>();
  let childRows = 0;
  let truncated = false;
  const value = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));
  scan: for await (const batch of engine.stream(sql)) {
    for (const r of batch) {
      if (counts.size >= MAX_KEYS) {
        truncated = true;
        break scan;
      }
      const k = String(r.k);
      const n = Number(r.n);
      counts.set(k, n);
      childRows += n;
      if (wanted.has(k)) {
        aggregates.set(k, [
          n,
          ...columns.numeric.flatMap((_, i) => [value(r[`m${i}`]), value(r[`s${i}`])]),
          ...columns.categorical.map((_, i) => value(r[`d${i}`])),
        ]);
      }
    }
  }
  return { counts, aggregates, childRows, truncated };
}

/** The parent's key values as text, or null past MAX_KEYS. */
export async function parentKeys(
  engine: Engine,
  tableSql: string,
  keyColumns: readonly string[],
): Promise<Set<string> | null> {
  const d = engine.dialect;
  const keys = new Set<string>();
  for await (const batch of engine.stream(
    `SELECT ${keyText(d, keyColumns)} AS k FROM ${tableSql} WHERE ${keyPresent(d, keyColumns)}`,
  )) {
    for (const r of batch) {
      keys.add(String(r.k));
      if (keys.size > MAX_KEYS) return null;
    }
  }
  return keys;
}
