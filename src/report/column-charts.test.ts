import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CatalogColumn } from '../catalog/catalog.js';
import { histogramChart, topValuesChart } from './column-charts.js';

const column = (extra: Partial<CatalogColumn>): CatalogColumn => ({
  name: 'c',
  physicalType: 'DOUBLE',
  semanticType: 'numeric',
  confidence: 0.9,
  pii: null,
  status: 'suggested',
  alerts: [],
  ...extra,
  stats: {
    nulls: 0,
    distinct: 3,
    min: 1,
    max: 3,
    mean: 2,
    stddev: 1,
    quantiles: null,
    top: [
      { value: 1, count: 2 },
      { value: 2, count: 1 },
    ],
    histogram: [
      { lo: 1, hi: 2, count: 2 },
      { lo: 2, hi: 3, count: 1 },
    ],
    ...extra.stats,
  },
});

test('numeric columns get a histogram and no top-values chart; ids and PII get no histogram', () => {
  assert.equal(histogramChart('t', column({}))?.values.length, 2);
  assert.equal(topValuesChart('t', column({})), null);
  assert.equal(histogramChart('t', column({ semanticType: 'id' })), null);
  assert.equal(histogramChart('t', column({ pii: 'postal_code' })), null);
});

test('temporal histograms use a temporal axis', () => {
  const c = column({
    semanticType: 'datetime',
    stats: { histogram: [{ lo: '2024-01-01T00:00:00Z', hi: '2024-02-01T00:00:00Z', count: 3 }] } as never,
  });
  const x = (histogramChart('t', c)!.template['encoding'] as Record<string, { type: string }>)['x']!;
  assert.equal(x.type, 'temporal');
});

test('top values of a PII column are masked, and masked duplicates stay distinct bars', () => {
  const c = column({
    semanticType: 'text',
    pii: 'email',
    stats: {
      top: [
        { value: 'anna@example.com', count: 3 },
        { value: 'alex@example.com', count: 2 },
      ],
      histogram: null,
    } as never,
  });
  const chart = topValuesChart('t', c)!;
  assert.deepEqual(
    chart.values.map((v) => v['label']),
    ['a***@e***.com', 'a***@e***.com (2)'],
  );
  assert.ok(!JSON.stringify(chart).includes('example.com"'));
  assert.ok(!JSON.stringify(chart).includes('anna'));
});

test('a column whose values are all unique gets no top-values chart', () => {
  const c = column({
    semanticType: 'categorical',
    stats: {
      top: [
        { value: 'a', count: 1 },
        { value: 'b', count: 1 },
      ],
      histogram: null,
    } as never,
  });
  assert.equal(topValuesChart('t', c), null);
});
