import type { Row, SqlValue } from '../../engine/engine.js';
import type { ColumnProfile } from '../profile-table.js';
import type { FeatureAssociation } from '../../catalog/round-two-types.js';
import type { FeatureValues } from './feature-association.js';

/** A date or timestamp (as engines return them, or as text) in epoch ms; NaN when absent or unreadable. */
export function epochOf(v: SqlValue | undefined): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
}

function numberOf(v: SqlValue | undefined): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

function textOf(v: SqlValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v);
}

/** How a column enters the association: numbers and dates by value, everything else by level. */
export function featureKind(c: ColumnProfile): FeatureAssociation['kind'] {
  if (c.semanticType === 'numeric') return 'numeric';
  if (c.semanticType === 'datetime') return 'datetime';
  return 'categorical';
}

/** A column's values over the sample rows, typed for its kind. */
export function columnValues(c: ColumnProfile, rows: readonly Row[]): FeatureValues {
  const kind = featureKind(c);
  if (kind === 'numeric') return { type: 'numeric', values: Float64Array.from(rows, (r) => numberOf(r[c.name])) };
  if (kind === 'datetime') return { type: 'numeric', values: Float64Array.from(rows, (r) => epochOf(r[c.name])) };
  return { type: 'categorical', values: rows.map((r) => textOf(r[c.name])) };
}
