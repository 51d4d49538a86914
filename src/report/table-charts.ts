import type { CatalogTable } from '../catalog/catalog.js';
import type { Chart } from './chart.js';

/** Patterns beyond this many are rare combinations; the chart says how many rows they hold. */
const MAX_PATTERNS = 15;

/**
 * Pairwise association as a symmetric heatmap. Signed measures (Pearson, Spearman) use the
 * whole diverging scale; Cramér's V and the correlation ratio only its positive half.
 */
export function associationChart(table: CatalogTable): Chart | null {
  const pairs = table.associations?.pairs ?? [];
  if (pairs.length === 0) return null;
  const order = table.columns.map((c) => c.name).filter((n) => pairs.some((p) => p.a === n || p.b === n));
  const values = pairs.flatMap((p) => {
    const cell = { method: p.method.replace(/_/g, ' '), value: Math.round(p.value * 1000) / 1000 };
    return p.a === p.b
      ? [{ a: p.a, b: p.b, ...cell }]
      : [
          { a: p.a, b: p.b, ...cell },
          { a: p.b, b: p.a, ...cell },
        ];
  });
  const size = Math.min(420, Math.max(120, order.length * 22));
  const encoding = {
    x: { field: 'a', type: 'nominal', sort: order, title: null, axis: { labelAngle: -40, labelLimit: 110 } },
    y: { field: 'b', type: 'nominal', sort: order, title: null, axis: { labelLimit: 110 } },
  };
  const layers: unknown[] = [
    {
      mark: { type: 'rect', tooltip: { content: 'data' } },
      encoding: {
        ...encoding,
        color: {
          field: 'value',
          type: 'quantitative',
          title: 'association',
          scale: { domain: [-1, 1], scheme: 'redblue' },
        },
      },
    },
  ];
  // Numbers in the cells only while they fit.
  if (order.length <= 12) {
    layers.push({
      mark: { type: 'text', fontSize: 9 },
      encoding: { ...encoding, text: { field: 'value', type: 'quantitative', format: '.2f' } },
    });
  }
  return {
    kind: 'association-heatmap',
    label: `Association between the columns of ${table.name}`,
    template: { width: size, height: size, layer: layers },
    values,
  };
}

/**
 * Which columns are missing together: a matrix (pattern × column, a cell where the column is
 * null) beside the rows per pattern. Null when every row is complete.
 */
export function missingPatternChart(table: CatalogTable): Chart | null {
  const patterns = table.missingPatterns ?? [];
  if (!patterns.some((p) => p.nullColumns.length > 0)) return null;
  const shown = patterns.slice(0, MAX_PATTERNS);
  const columns = table.columns.map((c) => c.name).filter((n) => shown.some((p) => p.nullColumns.includes(n)));
  const rows: Record<string, unknown>[] = [];
  shown.forEach((p, i) => {
    const pattern = `#${i + 1}`;
    const what = p.nullColumns.length === 0 ? 'complete rows' : `${p.nullColumns.length} null`;
    rows.push({ kind: 'total', pattern, what, count: p.count });
    for (const column of p.nullColumns) rows.push({ kind: 'cell', pattern, column });
  });
  const rest = patterns.slice(MAX_PATTERNS).reduce((sum, p) => sum + p.count, 0);
  if (rest > 0)
    rows.push({
      kind: 'total',
      pattern: 'other',
      what: `${patterns.length - MAX_PATTERNS} rarer patterns`,
      count: rest,
    });
  const order = rows.filter((r) => r['kind'] === 'total').map((r) => r['pattern']);
  // One explicit domain for both halves: patterns with no null cell (complete rows) still get their row in the matrix.
  const y = { field: 'pattern', type: 'nominal', scale: { domain: order }, title: 'pattern' };
  return {
    kind: 'missing-patterns',
    label: `Missing-value patterns of ${table.name}`,
    template: {
      spacing: 8,
      hconcat: [
        {
          width: Math.max(40, columns.length * 18),
          height: { step: 16 },
          transform: [{ filter: "datum.kind === 'cell'" }],
          mark: { type: 'rect', color: '#c0504d', tooltip: true },
          encoding: {
            x: {
              field: 'column',
              type: 'nominal',
              sort: columns,
              title: 'null columns',
              axis: { labelAngle: -40, labelLimit: 110 },
            },
            y,
          },
        },
        {
          width: 180,
          height: { step: 16 },
          transform: [{ filter: "datum.kind === 'total'" }],
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'count', type: 'quantitative', title: 'rows' },
            y: { ...y, axis: null },
            tooltip: [{ field: 'what' }, { field: 'count', type: 'quantitative' }],
          },
        },
      ],
    },
    values: rows,
  };
}
