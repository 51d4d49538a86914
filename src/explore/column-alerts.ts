import type { Alert, SemanticType } from '../catalog/catalog.js';

export interface AlertInput {
  readonly rows: number;
  readonly nulls: number;
  readonly distinct: number;
  readonly semanticType: SemanticType;
  readonly unique: boolean;
  readonly isKey: boolean;
  readonly skewness: number | null;
  readonly outlierShare: number | null;
  readonly numericTextShare: number | null;
  /** Share of the most frequent value among non-null values. */
  readonly topShare: number | null;
  readonly duplicateOf: string | null;
}

/** Quality alerts for one column (the kinds in CATALOG.md); thresholds as ydata-profiling's defaults. */
export function columnAlerts(c: AlertInput): Alert[] {
  const out: Alert[] = [];
  const nonNull = c.rows - c.nulls;
  if (c.rows > 0 && c.nulls === c.rows) out.push({ kind: 'high_missing', detail: 'every value is missing' });
  else if (c.rows > 0 && c.nulls / c.rows >= 0.2)
    out.push({ kind: 'high_missing', detail: `${pct(c.nulls / c.rows)} missing (${c.nulls} of ${c.rows})` });
  if (nonNull > 1 && c.distinct === 1) out.push({ kind: 'constant', detail: 'a single value in every non-null row' });
  if (c.semanticType === 'categorical' && c.distinct > 50 && nonNull > 0 && c.distinct / nonNull > 0.5) {
    out.push({ kind: 'high_cardinality', detail: `${c.distinct} distinct values in ${nonNull} rows` });
  }
  if (c.semanticType === 'numeric' && c.skewness !== null && Math.abs(c.skewness) > 2)
    out.push({ kind: 'skewed', detail: `skewness ${c.skewness.toFixed(2)}` });
  if (c.semanticType === 'numeric' && c.outlierShare !== null && c.outlierShare > 0.01) {
    out.push({ kind: 'outliers', detail: `${pct(c.outlierShare)} of values lie beyond 3 IQR from the quartiles` });
  }
  if (c.numericTextShare !== null && c.numericTextShare >= 0.05 && c.numericTextShare < 0.95) {
    out.push({ kind: 'mixed_types', detail: `${pct(c.numericTextShare)} of values are numbers, the rest text` });
  }
  if (c.duplicateOf) out.push({ kind: 'duplicate_column', detail: `same values as ${c.duplicateOf}` });
  if (
    c.unique &&
    !c.isKey &&
    c.rows > 1 &&
    (c.semanticType === 'categorical' || c.semanticType === 'text' || c.semanticType === 'id')
  ) {
    out.push({ kind: 'unique', detail: 'every value is different' });
  }
  if (
    (c.semanticType === 'categorical' || c.semanticType === 'boolean') &&
    c.topShare !== null &&
    c.distinct > 1 &&
    c.topShare >= 0.95
  ) {
    out.push({ kind: 'imbalanced', detail: `the most frequent value covers ${pct(c.topShare)} of rows` });
  }
  return out;
}

const pct = (x: number): string => `${(Math.round(x * 1000) / 10).toString()}%`;
