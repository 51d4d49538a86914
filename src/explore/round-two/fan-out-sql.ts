import type { Engine } from '../../engine/engine.js';
import type { FanOut } from '../../catalog/round-two-types.js';
import { keyPresent, keyText } from './key-text.js';

export interface FanOutCounts {
  readonly fanOut: FanOut;
  readonly childRows: number;
  readonly orphanRows: number;
}

/**
 * Fan-out and orphans in one query, when child and parent share an engine: child rows per
 * parent key (0 for a parent without children), and child rows whose key has no parent.
 * Nothing but one row leaves the engine (10M orders, 1M customers: no keys fetched).
 */
export async function fanOutInEngine(
  engine: Engine,
  child: { tableSql: string; columns: readonly string[] },
  parent: { tableSql: string; columns: readonly string[] },
): Promise<FanOutCounts> {
  const d = engine.dialect;
  const n = 'CAST(fathom_j.n AS DOUBLE PRECISION)';
  const sql = `WITH fathom_c AS (SELECT ${keyText(d, child.columns)} AS k, COUNT(*) AS n FROM ${child.tableSql} WHERE ${keyPresent(d, child.columns)} GROUP BY 1),
fathom_p AS (SELECT DISTINCT ${keyText(d, parent.columns)} AS k FROM ${parent.tableSql} WHERE ${keyPresent(d, parent.columns)}),
fathom_j AS (SELECT fathom_p.k, COALESCE(fathom_c.n, 0) AS n FROM fathom_p LEFT JOIN fathom_c ON fathom_c.k = fathom_p.k)
SELECT COUNT(*) AS parents, SUM(CASE WHEN fathom_j.n = 0 THEN 1 ELSE 0 END) AS childless, AVG(${n}) AS mean,
  ${d.quantile(n, 0.5)} AS p50, ${d.quantile(n, 0.95)} AS p95, MAX(fathom_j.n) AS mx,
  (SELECT COALESCE(SUM(fathom_c.n), 0) FROM fathom_c) AS child_rows,
  (SELECT COALESCE(SUM(fathom_c.n), 0) FROM fathom_c WHERE NOT EXISTS (SELECT 1 FROM fathom_p WHERE fathom_p.k = fathom_c.k)) AS orphan_rows
FROM fathom_j`;
  const r = (await engine.query(sql)).rows[0] ?? {};
  const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  return {
    fanOut: {
      parents: num(r.parents),
      childless: num(r.childless),
      mean: round(num(r.mean)),
      p50: round(num(r.p50)),
      p95: round(num(r.p95)),
      max: num(r.mx),
    },
    childRows: num(r.child_rows),
    orphanRows: num(r.orphan_rows),
  };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
