import type { CatalogColumn } from '../catalog/catalog.js';
import { maskPii } from '../explore/mask-pii.js';

export interface DisplayValue {
  readonly label: string;
  readonly count: number;
}

/** How a stored value reads in the report; NULL and the empty string stay distinguishable. */
export function valueLabel(value: string | number | boolean | null): string {
  if (value === null) return '(null)';
  if (value === '') return '(empty)';
  return String(value);
}

/** The top values as displayed: masked for a PII column, whatever the catalog holds. */
export function displayTopValues(column: CatalogColumn): DisplayValue[] {
  const limit = 20;
  return column.stats.top.slice(0, limit).map((t) => ({
    label: valueLabel(column.pii === null ? t.value : maskPii(column.pii, t.value)),
    count: t.count,
  }));
}

/**
 * The statistics shown for a column as [name, value] rows. A PII column shows counts only:
 * its min, max, mean and quantiles are (or are close to) one person's value.
 */
export function displayStats(column: CatalogColumn, rows: number): Array<[string, string]> {
  const s = column.stats;
  const out: Array<[string, string]> = [
    ['nulls', `${fmt(s.nulls)}${rows > 0 ? ` (${pct(s.nulls / rows)})` : ''}`],
    ['distinct', `${s.distinctApproximate ? '≈ ' : ''}${fmt(s.distinct)}`],
  ];
  if (column.pii !== null) {
    out.push(['values', `hidden: personal data (${column.pii.replace(/_/g, ' ')})`]);
    return [...out, ...shapeStats(column)];
  }
  if (s.min !== null) out.push(['min', String(s.min)]);
  if (s.max !== null) out.push(['max', String(s.max)]);
  if (s.mean !== null) out.push(['mean', num(s.mean)]);
  if (s.stddev !== null) out.push(['stddev', num(s.stddev)]);
  if (s.quantiles)
    out.push([
      'quantiles',
      Object.entries(s.quantiles)
        .map(([k, v]) => `${k} ${typeof v === 'number' ? num(v) : v}`)
        .join(', '),
    ]);
  return [...out, ...shapeStats(column)];
}

/** String lengths and pattern shares: aggregates that reveal no single value. */
function shapeStats(column: CatalogColumn): Array<[string, string]> {
  const s = column.stats;
  const out: Array<[string, string]> = [];
  if (s.length) out.push(['length', `${s.length.min}–${s.length.max}, mean ${num(s.length.mean)}`]);
  if (s.patterns) {
    const shares = Object.entries(s.patterns)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1]);
    if (shares.length) out.push(['patterns', shares.map(([k, v]) => `${k} ${pct(v)}`).join(', ')]);
  }
  return out;
}

const INT = new Intl.NumberFormat('en-US');
export const fmt = (n: number): string => INT.format(n);
export const pct = (share: number): string =>
  `${share >= 0.999 && share < 1 ? '99.9' : share > 0 && share < 0.001 ? '<0.1' : (share * 100).toFixed(1).replace(/\.0$/, '')}%`;
export const num = (x: number): string =>
  Number.isInteger(x)
    ? fmt(x)
    : Math.abs(x) >= 1000
      ? fmt(Math.round(x * 100) / 100)
      : Number(x.toPrecision(4)).toString();
