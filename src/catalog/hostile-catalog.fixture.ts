import type { Catalog } from './catalog.js';

export const HOSTILE_TABLE = `we"ird <t>&'ü`;
export const HOSTILE_COLUMN = '</script><script>alert(1)</script>';

/** Names and texts that break a report that forgets to escape (quotes, tags, unicode, newlines). */
export function hostileCatalog(): Catalog {
  const stats = {
    nulls: 1,
    distinct: 2,
    min: null,
    max: null,
    mean: null,
    stddev: null,
    quantiles: null,
    histogram: null,
  };
  return {
    version: 1,
    sources: [{ name: '<b>src</b>', kind: 'files', location: '/data/"quoted"/&/<dir>' }],
    tables: [
      {
        name: HOSTILE_TABLE,
        source: '<b>src</b>',
        rows: 3,
        primaryKey: { columns: [HOSTILE_COLUMN], confidence: 0.5, status: 'suggested', evidence: ['<i>unique</i>'] },
        timeIndex: null,
        columns: [
          {
            name: HOSTILE_COLUMN,
            physicalType: 'VARCHAR',
            semanticType: 'categorical',
            confidence: 0.5,
            pii: null,
            status: 'suggested',
            stats: {
              ...stats,
              top: [
                { value: '<img src=x onerror=alert(2)>', count: 2 },
                { value: 'line\nbreak', count: 2 },
              ],
            },
            alerts: [{ kind: 'mixed_types', detail: '"<svg onload=alert(3)>"' }],
          },
          {
            name: 'zahl 🧮',
            physicalType: 'DOUBLE',
            semanticType: 'numeric',
            confidence: 0.9,
            pii: null,
            status: 'confirmed',
            stats: {
              ...stats,
              min: 1,
              max: 3,
              mean: 2,
              stddev: 1,
              histogram: [
                { lo: 1, hi: 2, count: 1 },
                { lo: 2, hi: 3, count: 1 },
              ],
              top: [],
            },
            alerts: [],
          },
        ],
        associations: {
          sampleRows: 3,
          pairs: [{ a: HOSTILE_COLUMN, b: 'zahl 🧮', method: 'correlation_ratio', value: 0.5 }],
        },
        missingPatterns: [
          { nullColumns: [HOSTILE_COLUMN], count: 1 },
          { nullColumns: [], count: 2 },
        ],
      },
    ],
    relationships: [
      {
        from: { table: HOSTILE_TABLE, columns: [HOSTILE_COLUMN] },
        to: { table: HOSTILE_TABLE, columns: ['zahl 🧮'] },
        confidence: 0.3,
        coverage: 0.5,
        status: 'suggested',
      },
    ],
    targets: [],
    findings: ['<img src=x onerror=alert(4)> is a finding'],
  };
}
