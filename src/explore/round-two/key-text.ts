import type { Dialect } from '../../engine/engine.js';

const SEPARATOR = '\u001f';

/**
 * A key (one or more columns) as one text value, the way relationship inference compares
 * keys (relate-values.ts): child and parent may sit in different engines or types, and the
 * text of a value is what both agree on.
 */
export function keyText(d: Dialect, columns: readonly string[], qualifier?: string): string {
  const q = (c: string) => (qualifier ? `${qualifier}.${d.quoteIdent(c)}` : d.quoteIdent(c));
  return columns.map((c) => d.castText(q(c))).join(` || ${d.quoteString(SEPARATOR)} || `);
}

/** A predicate: every key column is present. */
export function keyPresent(d: Dialect, columns: readonly string[]): string {
  return columns.map((c) => `${d.quoteIdent(c)} IS NOT NULL`).join(' AND ');
}
