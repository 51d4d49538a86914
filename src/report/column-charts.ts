import type { CatalogColumn } from '../catalog/catalog.js';
import type { Chart } from './chart.js';
import { displayTopValues } from './safe-stats.js';

const HISTOGRAM = (temporal: boolean) => ({
  width: 260,
  height: 110,
  mark: { type: 'bar', tooltip: true, binSpacing: 1 },
  encoding: {
    x: {
      field: 'lo',
      type: temporal ? 'temporal' : 'quantitative',
      bin: { binned: true },
      title: null,
      axis: { labelOverlap: true, tickCount: 5 },
    },
    x2: { field: 'hi' },
    y: { field: 'count', type: 'quantitative', title: 'rows', axis: { tickCount: 3 } },
  },
});

const TOP_VALUES = {
  width: 260,
  height: { step: 14 },
  mark: { type: 'bar', tooltip: true },
  encoding: {
    y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 150 } },
    x: { field: 'count', type: 'quantitative', title: 'rows', axis: { tickCount: 3 } },
  },
};

/**
 * A histogram for numeric and temporal columns that have one. Never for PII (bin edges leak
 * values) nor for ids (the spread of surrogate keys says nothing).
 */
export function histogramChart(table: string, column: CatalogColumn): Chart | null {
  const bins = column.stats.histogram;
  if (column.pii !== null || column.semanticType === 'id' || !bins || bins.length === 0) return null;
  const temporal = column.semanticType === 'datetime' || typeof bins[0]!.lo === 'string';
  return {
    kind: 'histogram',
    label: `Histogram of ${table}.${column.name}`,
    template: HISTOGRAM(temporal),
    values: bins.map((b) => ({ lo: b.lo, hi: b.hi, count: b.count })),
  };
}

/** The most frequent values as bars; PII values are masked, and a column of unique values gets none. */
export function topValuesChart(table: string, column: CatalogColumn): Chart | null {
  // A numeric or temporal column with a histogram is better read from it than from its commonest values.
  const binned =
    (column.semanticType === 'numeric' || column.semanticType === 'datetime') &&
    column.stats.histogram &&
    column.stats.histogram.length > 0 &&
    column.pii === null;
  if (binned) return null;
  const top = displayTopValues(column);
  if (top.length === 0 || top.every((t) => t.count <= 1)) return null;
  return {
    kind: 'top-values',
    label: `Most frequent values of ${table}.${column.name}`,
    template: TOP_VALUES,
    values: uniqueLabels(top.map((t) => t.label)).map((label, i) => ({ label, count: top[i]!.count })),
  };
}

/** Bars need distinct labels: two values can mask to the same text ("a***@e***.com"). */
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}
