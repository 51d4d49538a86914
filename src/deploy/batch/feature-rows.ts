import type { Row, SqlValue } from '../../engine/engine.js';
import type { ColumnData } from '../../engine/read-columns.js';
import type { Dataset } from '../../learn/dataset.js';
import type { FeaturePlan, PlannedFeature } from '../../features/feature-plan.js';
import { columnsToDataset, parseInstant } from '../served-model.js';
import { badInput } from '../../util/fathom-error.js';

/**
 * Input rows holding the model's feature columns as a dataset, each value checked against its
 * feature's treatment as the HTTP API checks feature rows, so batch and API predictions of the
 * same values agree. A file column typed as text (one bad value makes a whole CSV column text)
 * still scores when its values are numbers; the first that is not is named by row and column.
 * `first` is the 1-based input row of rows[0].
 */
export function featureRowsToDataset(plan: FeaturePlan, rows: readonly Row[], first: number, label: string): Dataset {
  const columns = plan.features.map((f): ColumnData => {
    if (f.treatment === 'numeric') {
      const data = new Float64Array(rows.length);
      rows.forEach((row, r) => (data[r] = numeric(f, row[f.column] ?? null, () => where(label, first + r, f))));
      return { name: f.column, kind: 'number', data };
    }
    const data = rows.map((row, r) => coerce(f, row[f.column] ?? null, () => where(label, first + r, f)));
    return { name: f.column, kind: 'values', data };
  });
  return columnsToDataset(plan, { rows: rows.length, columns });
}

const where = (label: string, row: number, f: PlannedFeature) =>
  `${label} row ${row}, column ${JSON.stringify(f.column)}`;

function numeric(f: PlannedFeature, v: SqlValue, at: () => string): number {
  if (v === null) return Number.NaN;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return Number.NaN;
    const n = Number(t);
    if (Number.isFinite(n)) return n;
  }
  throw bad(at(), v, 'a number', f);
}

function coerce(f: PlannedFeature, v: SqlValue, at: () => string): SqlValue {
  if (v === null) return null;
  switch (f.treatment) {
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      if (v === 0 || v === 1) return v === 1;
      const t = typeof v === 'string' ? v.trim().toLowerCase() : null;
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      if (t === '') return null;
      throw bad(at(), v, 'true, false, 0 or 1', f);
    }
    case 'datetime': {
      const ms = typeof v === 'string' ? parseInstant(v) : Number.NaN;
      if (Number.isNaN(ms)) throw bad(at(), v, 'an ISO 8601 date or time', f);
      return new Date(ms).toISOString();
    }
    case 'categorical':
      if (v instanceof Uint8Array) throw bad(at(), '(binary)', 'a text or number level', f);
      return String(v);
    default:
      return v;
  }
}

function bad(at: string, v: unknown, want: string, f: PlannedFeature) {
  const shown = typeof v === 'string' && v.length > 60 ? `${v.slice(0, 60)}…` : v;
  return badInput(
    `${at}: ${JSON.stringify(shown)} is not ${want} (feature ${f.column} is ${f.treatment})`,
    'Fix or blank out the value (an empty value scores as missing), then run again.',
  );
}
