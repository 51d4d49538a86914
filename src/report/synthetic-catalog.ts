import type { Catalog, CatalogColumn, CatalogTable, HistogramBin, Relationship } from '../catalog/catalog.js';

/**
 * A big, deterministic catalog for benches and size tests: `tables` tables of `columns`
 * columns (ids, numbers, timestamps, categories, free text, booleans), each table referring
 * to a parent (a tree of fan-out 3), associations among the first 20 columns and a few
 * missing-value patterns. Shapes match what explore writes; the values are made up.
 */
export function syntheticCatalog(tables = 100, columns = 50): Catalog {
  const list: CatalogTable[] = [];
  const relationships: Relationship[] = [];
  for (let t = 0; t < tables; t++) {
    const name = `table_${String(t).padStart(3, '0')}`;
    const cols: CatalogColumn[] = [];
    for (let c = 0; c < columns; c++) cols.push(syntheticColumn(t, c));
    const names = cols.map((c) => c.name);
    const assocCols = names.slice(1, 21);
    const pairs = assocCols.flatMap((a, i) =>
      assocCols
        .slice(i + 1)
        .map((b, j) => ({ a, b, method: 'pearson' as const, value: Math.sin(t + i * 7 + j) * 0.9 })),
    );
    const ts = names.find((n) => n.startsWith('ts'));
    list.push({
      name,
      source: 'bench',
      rows: 100_000 + t * 1000,
      primaryKey: { columns: [names[0]!], confidence: 0.95, status: 'suggested', evidence: ['unique, not null'] },
      timeIndex: ts === undefined ? null : { column: ts, confidence: 0.8, status: 'suggested' },
      columns: cols,
      duplicateRows: t % 5,
      sampling: 'reservoir sample of 100000 rows',
      associations: { sampleRows: 100_000, pairs },
      missingPatterns: [
        { nullColumns: [], count: 90_000 },
        ...Array.from({ length: 7 }, (_, i) => ({ nullColumns: names.slice(2 + i, 4 + i * 2), count: 1000 * (8 - i) })),
      ],
      alerts: t % 10 === 0 ? [{ kind: 'leakage_suspect', detail: 'a column set only after the outcome' }] : [],
    });
    if (t > 0) {
      const parent = `table_${String(Math.floor((t - 1) / 3)).padStart(3, '0')}`;
      relationships.push({
        from: { table: name, columns: [`ref_${t}`] },
        to: { table: parent, columns: ['id_0'] },
        confidence: 0.9,
        coverage: t % 4 === 0 ? 0.97 : 1,
        status: 'suggested',
      });
    }
  }
  return {
    version: 1,
    sources: [{ name: 'bench', kind: 'duckdb', location: 'bench.duckdb' }],
    tables: list,
    relationships,
    targets: [{ table: 'table_000', column: 'flag_46', kind: 'binary', confidence: 0.6, status: 'suggested' }],
    findings: relationships
      .slice(0, 20)
      .map((r) => `${r.from.table}.${r.from.columns[0]} refers to ${r.to.table}.${r.to.columns[0]}.`),
  };
}

const bins = (lo: number, hi: number, n: number, seed: number): HistogramBin[] =>
  Array.from({ length: n }, (_, i) => ({
    lo: lo + ((hi - lo) * i) / n,
    hi: lo + ((hi - lo) * (i + 1)) / n,
    count: Math.round(1000 + 900 * Math.sin(seed + i)),
  }));

function syntheticColumn(t: number, c: number): CatalogColumn {
  const base = {
    physicalType: 'DOUBLE',
    confidence: 0.9,
    pii: null,
    status: 'suggested' as const,
    alerts: [],
    evidence: ['synthetic'],
  };
  const stats = {
    nulls: c % 7 === 0 ? 500 : 0,
    distinct: 1000,
    min: null,
    max: null,
    mean: null,
    stddev: null,
    quantiles: null,
    top: [],
    histogram: null,
  };
  if (c === 0)
    return { ...base, name: 'id_0', semanticType: 'id', stats: { ...stats, distinct: 100_000, min: 1, max: 100_000 } };
  if (c === 1) return { ...base, name: `ref_${t}`, semanticType: 'id', stats: { ...stats, min: 1, max: 5000 } };
  if (c < 17)
    return {
      ...base,
      name: `num_${c}`,
      semanticType: 'numeric',
      stats: {
        ...stats,
        min: 0,
        max: 1000,
        mean: 500,
        stddev: 200,
        quantiles: { p25: 350, p50: 500, p75: 650 },
        histogram: bins(0, 1000, 20, t + c),
      },
    };
  if (c < 27) {
    const from = Date.UTC(2020, 0, 1);
    const span = 5 * 365 * 86_400_000;
    const h = bins(0, 1, 20, t * c).map((b) => ({
      lo: new Date(from + span * Number(b.lo)).toISOString(),
      hi: new Date(from + span * Number(b.hi)).toISOString(),
      count: b.count,
    }));
    return {
      ...base,
      physicalType: 'TIMESTAMP',
      name: `ts_${c}`,
      semanticType: 'datetime',
      stats: { ...stats, min: h[0]!.lo, max: h.at(-1)!.hi, histogram: h },
    };
  }
  if (c < 42) {
    const top = Array.from({ length: 10 }, (_, i) => ({ value: `category ${i} of col ${c}`, count: 5000 - i * 300 }));
    return {
      ...base,
      physicalType: 'VARCHAR',
      name: `cat_${c}`,
      semanticType: 'categorical',
      stats: { ...stats, distinct: 10, top },
    };
  }
  if (c < 46)
    return {
      ...base,
      physicalType: 'VARCHAR',
      name: `text_${c}`,
      semanticType: 'text',
      stats: {
        ...stats,
        distinct: 90_000,
        top: [{ value: 'free text', count: 1 }],
        length: { min: 3, max: 300, mean: 80 },
      },
    };
  return {
    ...base,
    physicalType: 'BOOLEAN',
    name: `flag_${c}`,
    semanticType: 'boolean',
    stats: {
      ...stats,
      distinct: 2,
      top: [
        { value: true, count: 60_000 },
        { value: false, count: 40_000 },
      ],
    },
  };
}
