import type { Catalog, CatalogColumn, ColumnStats, HistogramBin, PiiKind, SemanticType, TopValue } from './catalog.js';

/**
 * A realistic catalog of examples/shop (figures from its CSVs) for report tests and benches,
 * until explore's buildCatalog writes the real one. PII columns deliberately hold RAW values
 * (as a careless upstream would): the report must mask them itself.
 */
export const SHOP_RAW_PII = [
  'Tariq Dubois',
  'Jonas Tanaka',
  'Anna Dubois',
  'Zoe Tanaka',
  'quinn.haddad1@example.com',
  'uma.larsen2@example.com',
  'anna.dubois1111@example.com',
  'zoe.tanaka743@example.com',
  '+49 171 9758066',
  '+49 163 2576982',
  '+49 150 0129957',
  '+49 179 9831952',
  '10022',
  '99977',
  '34412',
] as const;

type ColumnInput = Partial<Omit<CatalogColumn, 'stats'>> & { name: string; stats?: Partial<ColumnStats> };

function column(input: ColumnInput, semanticType: SemanticType, physicalType: string): CatalogColumn {
  const { stats, ...rest } = input;
  return {
    physicalType,
    semanticType,
    confidence: 0.9,
    pii: null,
    status: 'suggested',
    alerts: [],
    ...rest,
    stats: {
      nulls: 0,
      distinct: 0,
      min: null,
      max: null,
      mean: null,
      stddev: null,
      quantiles: null,
      top: [],
      histogram: null,
      ...stats,
    },
  };
}

/** Deterministic bins with a bell-ish shape, summing to about `rows`. */
function bins(lo: number, hi: number, rows: number, n = 10, skew = 0): HistogramBin[] {
  const w = (hi - lo) / n;
  const weights = Array.from({ length: n }, (_, i) => Math.exp(-(((i + 0.5) / n - 0.5 + skew) ** 2) * 6));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((wt, i) => ({
    lo: round(lo + i * w),
    hi: round(lo + (i + 1) * w),
    count: Math.round((wt / total) * rows),
  }));
}

function timeBins(from: string, to: string, rows: number, n = 12): HistogramBin[] {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return bins(0, 1, rows, n, -0.1).map((bin, i) => ({
    lo: new Date(a + ((b - a) * i) / n).toISOString(),
    hi: new Date(a + ((b - a) * (i + 1)) / n).toISOString(),
    count: bin.count,
  }));
}

const round = (x: number) => Math.round(x * 100) / 100;
const top = (...pairs: Array<[string | number | boolean, number]>): TopValue[] =>
  pairs.map(([value, count]) => ({ value, count }));

function num(
  name: string,
  rows: number,
  min: number,
  max: number,
  mean: number,
  stddev: number,
  extra: Partial<ColumnInput> = {},
): CatalogColumn {
  return column(
    {
      name,
      evidence: ['numeric type', `${rows} non-null values`],
      ...extra,
      stats: {
        distinct: Math.min(rows, Math.round(max - min) + 1),
        min,
        max,
        mean,
        stddev,
        histogram: bins(min, max, rows),
        quantiles: {
          p01: min,
          p25: round(mean - stddev * 0.67),
          p50: mean,
          p75: round(mean + stddev * 0.67),
          p99: max,
        },
        ...extra.stats,
      },
    },
    'numeric',
    Number.isInteger(min) && Number.isInteger(max) ? 'BIGINT' : 'DOUBLE',
  );
}

function id(
  name: string,
  rows: number,
  min: number | string,
  max: number | string,
  evidence: string[],
  extra: Partial<ColumnInput> = {},
): CatalogColumn {
  return column(
    {
      name,
      confidence: 0.97,
      evidence,
      alerts: [{ kind: 'unique', detail: `all ${rows} values distinct` }],
      ...extra,
      stats: { distinct: rows, min, max, top: [], ...extra.stats },
    },
    'id',
    typeof min === 'number' ? 'BIGINT' : 'VARCHAR',
  );
}

function cat(
  name: string,
  rows: number,
  values: Array<[string, number]>,
  extra: Partial<ColumnInput> = {},
): CatalogColumn {
  const sorted = [...values].sort((a, b) => b[1] - a[1]);
  return column(
    {
      name,
      evidence: [`${values.length} distinct values in ${rows} rows`],
      ...extra,
      stats: {
        distinct: values.length,
        min: [...values].map((v) => v[0]).sort()[0]!,
        max: [...values]
          .map((v) => v[0])
          .sort()
          .at(-1)!,
        top: top(...sorted),
        ...extra.stats,
      },
    },
    'categorical',
    'VARCHAR',
  );
}

function time(name: string, rows: number, from: string, to: string, extra: Partial<ColumnInput> = {}): CatalogColumn {
  return column(
    {
      name,
      evidence: ['every value parses as an ISO timestamp'],
      ...extra,
      stats: { distinct: rows, min: from, max: to, histogram: timeBins(from, to, rows), ...extra.stats },
    },
    'datetime',
    'TIMESTAMP',
  );
}

function pii(kind: PiiKind, c: CatalogColumn, piiEvidence: string[]): CatalogColumn {
  return { ...c, pii: kind, piiConfidence: 0.93, piiEvidence };
}

export function shopCatalog(): Catalog {
  const customers = 3000;
  return {
    version: 1,
    generatedAt: '2026-11-25T23:40:00.000Z',
    sources: [{ name: 'shop', kind: 'files', location: 'examples/shop' }],
    tables: [
      {
        name: 'customers',
        source: 'shop',
        rows: customers,
        primaryKey: {
          columns: ['customer_id'],
          confidence: 0.98,
          status: 'suggested',
          evidence: ['unique, not null', 'name ends in _id', 'referenced by orders, support_tickets'],
        },
        timeIndex: {
          column: 'signed_up_at',
          confidence: 0.62,
          status: 'suggested',
          evidence: ['the only date column'],
        },
        duplicateRows: 0,
        sampling: 'all 3000 rows',
        columns: [
          id('customer_id', customers, 1, 3000, ['unique, not null', 'integer sequence 1..3000']),
          pii(
            'person_name',
            column(
              {
                name: 'full_name',
                evidence: ['short text, 2 words'],
                stats: {
                  distinct: 375,
                  min: 'Anna Dubois',
                  max: 'Zoe Tanaka',
                  top: top(['Tariq Dubois', 17], ['Jonas Tanaka', 17], ['Emma Rossi', 16], ['Hugo Silva', 16]),
                  length: { min: 7, max: 16, mean: 11.2 },
                },
              },
              'text',
              'VARCHAR',
            ),
            ['name contains "name"', '98% look like first + last names'],
          ),
          pii(
            'email',
            column(
              {
                name: 'email',
                semanticType: 'id',
                evidence: ['unique strings'],
                stats: {
                  distinct: 3000,
                  min: 'anna.dubois1111@example.com',
                  max: 'zoe.tanaka743@example.com',
                  top: top(['quinn.haddad1@example.com', 1], ['uma.larsen2@example.com', 1]),
                  patterns: { email: 1 },
                },
              },
              'id',
              'VARCHAR',
            ),
            ['100% email pattern', 'name is "email"'],
          ),
          pii(
            'phone',
            column(
              {
                name: 'phone',
                evidence: ['unique strings'],
                stats: {
                  distinct: 3000,
                  min: '+49 150 0129957',
                  max: '+49 179 9831952',
                  top: top(['+49 171 9758066', 1], ['+49 163 2576982', 1]),
                  patterns: { phone: 1 },
                },
              },
              'text',
              'VARCHAR',
            ),
            ['100% phone pattern', 'name is "phone"'],
          ),
          pii(
            'postal_code',
            num('postal_code', customers, 10022, 99977, 54456.19, 25818.59, {
              semanticType: 'categorical',
              stats: { distinct: 2947, top: top([34412, 3], [59218, 2]) },
            }),
            ['name contains "postal"', '5-digit codes'],
          ),
          cat('country', customers, [
            ['GB', 406],
            ['ES', 398],
            ['NL', 385],
            ['IT', 374],
            ['DE', 366],
            ['FR', 364],
            ['US', 357],
            ['PL', 350],
          ]),
          cat('plan', customers, [
            ['pro', 1027],
            ['plus', 993],
            ['basic', 980],
          ]),
          num('age', customers, 18, 80, 48.56, 18.32, { alerts: [] }),
          time('signed_up_at', customers, '2023-01-01T00:00:00Z', '2025-03-01T00:00:00Z', { physicalType: 'DATE' }),
          column(
            {
              name: 'churned',
              confidence: 0.99,
              evidence: ['2 values: true/false'],
              alerts: [{ kind: 'imbalanced', detail: '20% true' }],
              stats: { distinct: 2, min: 'false', max: 'true', top: top([false, 2396], [true, 604]) },
            },
            'boolean',
            'BOOLEAN',
          ),
          cat(
            'cancellation_reason',
            customers,
            [
              ['no longer needed', 169],
              ['poor support', 158],
              ['moved to competitor', 139],
              ['too expensive', 138],
            ],
            {
              alerts: [
                { kind: 'high_missing', detail: '80% null' },
                {
                  kind: 'leakage_suspect',
                  detail: 'null exactly when churned is false: it is known only after the outcome',
                },
              ],
              stats: { nulls: 2396 },
            },
          ),
        ],
        associations: {
          sampleRows: 3000,
          pairs: [
            { a: 'age', b: 'postal_code', method: 'pearson', value: 0.01 },
            { a: 'country', b: 'plan', method: 'cramers_v', value: 0.04 },
            { a: 'churned', b: 'plan', method: 'cramers_v', value: 0.18 },
            { a: 'churned', b: 'cancellation_reason', method: 'cramers_v', value: 1 },
            { a: 'age', b: 'churned', method: 'correlation_ratio', value: 0.03 },
            { a: 'age', b: 'plan', method: 'correlation_ratio', value: 0.02 },
          ],
        },
        missingPatterns: [
          { nullColumns: ['cancellation_reason'], count: 2396 },
          { nullColumns: [], count: 604 },
        ],
        alerts: [{ kind: 'leakage_suspect', detail: 'cancellation_reason is set only for churned customers' }],
        keyCandidates: [
          { columns: ['email'], confidence: 0.4, status: 'suggested', evidence: ['unique, but PII text'] },
        ],
      },
      {
        name: 'products',
        source: 'shop',
        rows: 200,
        primaryKey: {
          columns: ['product_id'],
          confidence: 0.97,
          status: 'suggested',
          evidence: ['unique, not null', 'name ends in _id'],
        },
        timeIndex: null,
        duplicateRows: 0,
        sampling: 'all 200 rows',
        columns: [
          id('product_id', 200, 'P-0001', 'P-0200', ['unique, not null', 'pattern P-dddd']),
          column(
            {
              name: 'product_name',
              evidence: ['unique free text'],
              stats: {
                distinct: 200,
                min: 'books item 106',
                max: 'toys item 95',
                top: top(['sports item 1', 1], ['garden item 2', 1]),
                length: { min: 11, max: 19, mean: 14.1 },
              },
            },
            'text',
            'VARCHAR',
          ),
          cat('category', 200, [
            ['toys', 50],
            ['electronics', 35],
            ['books', 35],
            ['kitchen', 31],
            ['sports', 25],
            ['garden', 24],
          ]),
          num('list_price', 200, 5.32, 395.73, 65.24, 80.61, { alerts: [{ kind: 'skewed', detail: 'skewness 2.4' }] }),
        ],
        associations: {
          sampleRows: 200,
          pairs: [{ a: 'category', b: 'list_price', method: 'correlation_ratio', value: 0.71 }],
        },
        missingPatterns: [{ nullColumns: [], count: 200 }],
        alerts: [],
      },
      {
        name: 'orders',
        source: 'shop',
        rows: 28514,
        primaryKey: {
          columns: ['order_id'],
          confidence: 0.98,
          status: 'suggested',
          evidence: ['unique, not null', 'name ends in _id', 'referenced by order_items'],
        },
        timeIndex: {
          column: 'ordered_at',
          confidence: 0.9,
          status: 'suggested',
          evidence: ['timestamp, 99.9% distinct', 'name ends in _at'],
        },
        duplicateRows: 0,
        sampling: 'all 28514 rows',
        columns: [
          id('order_id', 28514, 100001, 128514, ['unique, not null', 'name ends in _id']),
          num('customer_id', 28514, 1, 3399, 1519.51, 880.55, {
            semanticType: 'id',
            evidence: ['refers to customers.customer_id'],
            stats: { distinct: 3006, histogram: null },
          }),
          time('ordered_at', 28514, '2023-01-03T12:18:32Z', '2025-06-29T23:46:47Z'),
          cat('channel', 28514, [
            ['store', 9561],
            ['app', 9532],
            ['web', 9421],
          ]),
          cat(
            'status',
            28514,
            [
              ['completed', 27638],
              ['cancelled', 876],
            ],
            { alerts: [{ kind: 'imbalanced', detail: '97% completed' }] },
          ),
          num('total_amount', 28514, 5.32, 2458.05, 324.59, 320.92, {
            alerts: [
              { kind: 'skewed', detail: 'skewness 1.9' },
              { kind: 'outliers', detail: '1.2% beyond 3 IQR' },
            ],
          }),
        ],
        associations: {
          sampleRows: 28514,
          pairs: [
            { a: 'channel', b: 'status', method: 'cramers_v', value: 0.01 },
            { a: 'channel', b: 'total_amount', method: 'correlation_ratio', value: 0.02 },
            { a: 'status', b: 'total_amount', method: 'correlation_ratio', value: 0.01 },
          ],
        },
        missingPatterns: [{ nullColumns: [], count: 28514 }],
        alerts: [],
      },
      {
        name: 'order_items',
        source: 'shop',
        rows: 70706,
        primaryKey: {
          columns: ['order_id', 'line_no'],
          confidence: 0.95,
          status: 'suggested',
          evidence: ['unique together, not null', 'line_no counts 1..4 within order_id'],
        },
        timeIndex: null,
        duplicateRows: 0,
        sampling: 'reservoir sample of 50000 of 70706 rows',
        columns: [
          num('order_id', 70706, 100001, 128514, 114284.12, 8251.37, {
            semanticType: 'id',
            evidence: ['refers to orders.order_id'],
            stats: { distinct: 28514, histogram: null },
          }),
          num('line_no', 70706, 1, 4, 1.99, 1, {
            semanticType: 'categorical',
            evidence: ['4 small integers'],
            stats: { distinct: 4, top: top([1, 28514], [2, 21190], [3, 14078], [4, 6924]) },
          }),
          column(
            {
              name: 'product_id',
              confidence: 0.9,
              evidence: ['refers to products.product_id'],
              stats: {
                distinct: 200,
                min: 'P-0001',
                max: 'P-0200',
                top: top(['P-0169', 406], ['P-0166', 400], ['P-0023', 397], ['P-0164', 397]),
              },
            },
            'id',
            'VARCHAR',
          ),
          num('quantity', 70706, 1, 3, 2, 0.82, {
            semanticType: 'categorical',
            stats: { distinct: 3, top: top([2, 23650], [1, 23561], [3, 23495]) },
          }),
          num('unit_price', 70706, 5.32, 395.73, 65.45, 80.42, {
            alerts: [{ kind: 'skewed', detail: 'skewness 2.4' }],
          }),
        ],
        associations: {
          sampleRows: 50000,
          pairs: [
            { a: 'line_no', b: 'quantity', method: 'cramers_v', value: 0.01 },
            { a: 'quantity', b: 'unit_price', method: 'spearman', value: -0.01 },
            { a: 'line_no', b: 'unit_price', method: 'correlation_ratio', value: 0.01 },
          ],
        },
        missingPatterns: [{ nullColumns: [], count: 70706 }],
        alerts: [],
      },
      {
        name: 'returns',
        source: 'shop',
        rows: 2869,
        primaryKey: {
          columns: ['return_id'],
          confidence: 0.97,
          status: 'suggested',
          evidence: ['unique, not null', 'name ends in _id'],
        },
        timeIndex: {
          column: 'returned_at',
          confidence: 0.88,
          status: 'suggested',
          evidence: ['timestamp', 'name ends in _at'],
        },
        duplicateRows: 0,
        sampling: 'all 2869 rows',
        columns: [
          id('return_id', 2869, 1, 2869, ['unique, not null']),
          num('order_id', 2869, 100044, 128509, 114137.16, 8304.1, {
            semanticType: 'id',
            stats: { distinct: 2766, histogram: null },
          }),
          num('line_no', 2869, 1, 4, 2.02, 1, {
            semanticType: 'categorical',
            stats: { distinct: 4, top: top([1, 1100], [2, 880], [3, 590], [4, 299]) },
          }),
          time('returned_at', 2869, '2023-01-19T03:22:51Z', '2025-07-23T21:03:06Z'),
          cat('reason', 2869, [
            ['not as described', 745],
            ['wrong size', 730],
            ['changed mind', 713],
            ['damaged', 681],
          ]),
        ],
        associations: { sampleRows: 2869, pairs: [{ a: 'line_no', b: 'reason', method: 'cramers_v', value: 0.02 }] },
        missingPatterns: [{ nullColumns: [], count: 2869 }],
        alerts: [],
      },
      {
        name: 'support_tickets',
        source: 'shop',
        rows: 8923,
        primaryKey: {
          columns: ['ticket_id'],
          confidence: 0.97,
          status: 'suggested',
          evidence: ['unique, not null', 'name ends in _id'],
        },
        timeIndex: {
          column: 'opened_at',
          confidence: 0.88,
          status: 'suggested',
          evidence: ['timestamp', 'name ends in _at'],
        },
        duplicateRows: 0,
        sampling: 'all 8923 rows',
        columns: [
          id('ticket_id', 8923, 1, 8923, ['unique, not null']),
          num('customer_id', 8923, 1, 3000, 1508.95, 861.48, {
            semanticType: 'id',
            stats: { distinct: 2952, histogram: null },
          }),
          time('opened_at', 8923, '2023-01-06T08:33:21Z', '2025-06-29T23:51:35Z'),
          cat('channel', 8923, [
            ['phone', 3012],
            ['chat', 3001],
            ['email', 2910],
          ]),
          num('satisfaction', 8923, 1, 5, 2.59, 1.21, { stats: { distinct: 5 } }),
        ],
        associations: {
          sampleRows: 8923,
          pairs: [{ a: 'channel', b: 'satisfaction', method: 'correlation_ratio', value: 0.02 }],
        },
        missingPatterns: [{ nullColumns: [], count: 8923 }],
        alerts: [],
      },
    ],
    relationships: [
      {
        from: { table: 'orders', columns: ['customer_id'] },
        to: { table: 'customers', columns: ['customer_id'] },
        confidence: 0.97,
        coverage: 0.9967,
        orphanRows: 100,
        status: 'suggested',
        evidence: ['99.7% of values found', 'same name', 'many orders per customer'],
      },
      {
        from: { table: 'order_items', columns: ['order_id'] },
        to: { table: 'orders', columns: ['order_id'] },
        confidence: 0.99,
        coverage: 1,
        status: 'suggested',
        evidence: ['100% of values found', 'same name'],
      },
      {
        from: { table: 'order_items', columns: ['product_id'] },
        to: { table: 'products', columns: ['product_id'] },
        confidence: 0.99,
        coverage: 1,
        status: 'suggested',
        evidence: ['100% of values found', 'same name'],
      },
      {
        from: { table: 'returns', columns: ['order_id', 'line_no'] },
        to: { table: 'order_items', columns: ['order_id', 'line_no'] },
        confidence: 0.93,
        coverage: 1,
        status: 'suggested',
        evidence: ['composite key of order_items', '100% of pairs found'],
      },
      {
        from: { table: 'support_tickets', columns: ['customer_id'] },
        to: { table: 'customers', columns: ['customer_id'] },
        confidence: 0.96,
        coverage: 1,
        status: 'suggested',
        evidence: ['100% of values found', 'same name'],
      },
    ],
    targets: [
      {
        table: 'customers',
        column: 'churned',
        kind: 'binary',
        confidence: 0.82,
        status: 'suggested',
        evidence: ['boolean', 'name suggests an outcome', '20% positive'],
      },
      {
        table: 'orders',
        column: 'status',
        kind: 'binary',
        confidence: 0.35,
        status: 'suggested',
        evidence: ['2 values'],
      },
    ],
    findings: [
      'orders.customer_id refers to customers.customer_id; 0.3% of orders (100) have no matching customer.',
      'returns.(order_id, line_no) refers to order_items.(order_id, line_no), a composite key.',
      'customers.churned looks like a binary target (20% true).',
      'customers.cancellation_reason is set only when churned is true: it would leak the target.',
      'customers has 4 columns holding personal data (full_name, email, phone, postal_code); their values are masked in this report.',
    ],
  };
}
