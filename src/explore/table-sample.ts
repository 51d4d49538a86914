import type { Row } from '../engine/engine.js';
import type { MissingPattern } from '../catalog/catalog.js';
import { sha256 } from '../util/hash.js';

const MAX_PATTERNS = 10;

/** Which columns are null together in the sample, most frequent combinations first, scaled to the table. */
export function missingPatterns(rows: readonly Row[], names: readonly string[], scale: number): MissingPattern[] {
  const withNulls = names.filter((n) => rows.some((r) => r[n] === null));
  if (withNulls.length === 0) return [];
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = withNulls.filter((n) => r[n] === null).join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_PATTERNS)
    .map(([key, n]) => ({ nullColumns: key === '' ? [] : key.split('\u0000'), count: Math.round(n * scale) }));
}

/** Columns whose sample values equal an earlier column's, row by row: name -> earlier name. */
export function duplicateColumns(rows: readonly Row[], names: readonly string[]): Map<string, string> {
  const seen = new Map<string, string>();
  const out = new Map<string, string>();
  if (rows.length < 2) return out;
  for (const n of names) {
    const values = rows.map((r) => {
      const v = r[n];
      return v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v === null ? '\u0000' : String(v);
    });
    if (new Set(values).size <= 1) continue; // constant columns get their own alert
    const h = sha256(values.join('\u0001'));
    const first = seen.get(h);
    if (first) out.set(n, first);
    else seen.set(h, n);
  }
  return out;
}

/** Rows in the sample that repeat an earlier row exactly. */
export function duplicateRowsIn(rows: readonly Row[], names: readonly string[]): number {
  const seen = new Set<string>();
  let dup = 0;
  for (const r of rows) {
    const key = JSON.stringify(
      names.map((n) => (r[n] instanceof Uint8Array ? Buffer.from(r[n] as Uint8Array).toString('hex') : r[n])),
    );
    if (seen.has(key)) dup++;
    else seen.add(key);
  }
  return dup;
}
