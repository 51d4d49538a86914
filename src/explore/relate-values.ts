import type { Engine, TableRef } from '../engine/engine.js';
import type { FetchValues, ValueCounts } from './relationships.js';
import type { TableProfile } from './profile-table.js';

/** Distinct values fetched per column; a bigger key is left out of inference, not guessed. */
export const MAX_DISTINCT_VALUES = 2_000_000;
const SEPARATOR = '\u001f';

/**
 * Fetch each column set's distinct values with their row counts, once per run, by a GROUP BY
 * pushed to the engine that holds the table. Values are compared as text so that tables of
 * different sources (a CSV and a Postgres table) can be related.
 */
export function valueFetcher(
  engineFor: (table: TableProfile) => Promise<Engine>,
  refFor: (table: TableProfile) => TableRef,
): FetchValues {
  const cache = new Map<string, Promise<ValueCounts>>();
  return (table, columns) => {
    const key = `${table.source}\u0000${table.table}\u0000${columns.join('\u0001')}`;
    let p = cache.get(key);
    if (!p) {
      p = fetchCounts(engineFor(table), refFor(table), columns);
      cache.set(key, p);
    }
    return p;
  };
}

async function fetchCounts(
  enginePromise: Promise<Engine>,
  ref: TableRef,
  columns: readonly string[],
): Promise<ValueCounts> {
  const engine = await enginePromise;
  const d = engine.dialect;
  const cols = columns.map((c) => d.quoteIdent(c));
  const value = cols.map((c) => d.castText(c)).join(` || ${d.quoteString(SEPARATOR)} || `);
  const sql =
    `SELECT ${value} AS v, COUNT(*) AS n FROM ${d.quoteTable(ref)} ` +
    `WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')} GROUP BY 1 LIMIT ${MAX_DISTINCT_VALUES + 1}`;
  const rows = (await engine.query(sql)).rows;
  if (rows.length > MAX_DISTINCT_VALUES) return { counts: new Map(), truncated: true };
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(String(r.v), Number(r.n));
  return { counts, truncated: false };
}
