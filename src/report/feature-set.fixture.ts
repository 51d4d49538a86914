import type { CatalogFeature, CatalogFeatureSet } from '../catalog/catalog.js';

/** A column name that must stay text wherever a feature reading it is shown. */
export const HOSTILE_FEATURE_COLUMN = `"amt'"<script>alert(1)</script>`;

const WHERE = 'WHERE orders.ordered_at < cutoff';
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** SQL shaped like compile-matrix's for one aggregate of orders (the real text is longer). */
function sqlOf(name: string, expr: string): string {
  return [
    'WITH r0 AS (SELECT ROW_NUMBER() OVER (ORDER BY t."customer_id") AS fathom_row, CAST(1751241600 AS DOUBLE PRECISION) AS fathom_cutoff, t."customer_id" FROM "customers" AS t),',
    `r1 AS (SELECT r0.fathom_row, x.* FROM r0 JOIN "orders" AS x ON x."customer_id" = r0."customer_id" WHERE CAST(epoch(CAST(x."ordered_at" AS TIMESTAMP)) AS DOUBLE) < r0.fathom_cutoff),`,
    `a1 AS (SELECT r1.fathom_row, ${expr} AS f0 FROM r1 GROUP BY r1.fathom_row)`,
    `SELECT r0."customer_id" AS "customer_id", a1.f0 AS ${quote(name)}`,
    'FROM r0 LEFT JOIN a1 ON a1.fathom_row = r0.fathom_row',
    'ORDER BY r0.fathom_row',
  ].join('\n');
}

function aggregate(op: string, column: string, extra: Partial<CatalogFeature>): CatalogFeature {
  const name = `${op}(orders.${column} ${WHERE})`;
  return {
    name,
    kind: 'numeric',
    primitive: op,
    depth: 1,
    tables: ['customers', 'orders'],
    sql: sqlOf(name, `${op === 'MEAN' ? 'AVG' : op}(r1.${quote(column)})`),
    status: 'kept',
    ...extra,
  };
}

/**
 * A feature set shaped like the shop demo's (names and reasons as `fathom features` writes
 * them): 22 kept features with falling gains, so the chart shows only the top 20, and one
 * dropped feature per reason. `hostile` adds a kept feature over HOSTILE_FEATURE_COLUMN.
 */
export function shopFeatureSet(hostile = false): CatalogFeatureSet {
  const ops = ['SUM', 'MEAN', 'MIN', 'MAX', 'STD', 'TREND'];
  const columns = ['total_amount', 'discount', 'shipping', 'items'];
  const aggregates: CatalogFeature[] = [];
  for (const column of columns)
    for (const op of ops) if (aggregates.length < 21) aggregates.push(aggregate(op, column, {}));
  if (hostile) aggregates.unshift(aggregate('MEAN', HOSTILE_FEATURE_COLUMN, {}));
  const plan: CatalogFeature = {
    name: 'plan',
    kind: 'categorical',
    primitive: 'IDENTITY',
    depth: 0,
    tables: ['customers'],
    sql: 'SELECT "customer_id", CAST("plan" AS VARCHAR) AS "plan" FROM "customers" ORDER BY "customer_id"',
    status: 'kept',
  };
  // Ranked: two aggregates, then plan, then the rest; gains fall as 1/rank and sum to 1.
  const byRank = [...aggregates.slice(0, 2), plan, ...aggregates.slice(2)];
  const total = byRank.reduce((s, _, i) => s + 1 / (i + 1), 0);
  const gain = new Map(byRank.map((f, i) => [f.name, 1 / (i + 1) / total]));
  const kept = [plan, ...aggregates].map((f) => ({ ...f, gain: gain.get(f.name)! }));
  const dropped: CatalogFeature[] = [
    {
      name: 'cancellation_reason',
      kind: 'categorical',
      primitive: 'IDENTITY',
      depth: 0,
      tables: ['customers'],
      sql: 'SELECT "customer_id", "cancellation_reason" FROM "customers"',
      leakage: 'customers.cancellation_reason: predicts the target almost perfectly',
      status: 'dropped',
      reason: 'leakage suspect: customers.cancellation_reason: predicts the target almost perfectly',
    },
    aggregate('SUM', 'quantity', {
      status: 'dropped',
      reason: `near-duplicate of SUM(orders.total_amount ${WHERE}) (r = 0.9970)`,
    }),
    aggregate('COUNT', 'refund', { status: 'dropped', reason: 'missing in 97.2% of rows' }),
    aggregate('MAX', 'currency_rate', { status: 'dropped', reason: 'constant' }),
    aggregate('MIN', 'shipping', { status: 'dropped', reason: 'ranked below the top 22 by gain', gain: 0.0004 }),
    aggregate('STD', 'weekday', {
      status: 'dropped',
      reason: 'no gain in the ranking probe (GBDT on 3000 rows)',
      gain: 0,
    }),
  ];
  // Synthesis order: raw columns first, then aggregates; the report ranks by gain, not by this order.
  return {
    target: { source: 'shop', table: 'customers', column: 'churned', kind: 'binary' },
    cutoff: { kind: 'fixed', at: '2025-06-30T00:00:00.000Z' },
    depth: 2,
    windowDays: 365,
    warnings: [
      "100% of child rows come at or after customers.signed_up_at, so it records when a row began, not when its target was known. Using the data's snapshot time 2025-06-30T00:00:00.000Z as every row's cutoff.",
    ],
    metadataVersion: 1,
    matrix: {
      rows: 3000,
      columns: 2 + kept.length + dropped.length,
      bytes: 736159,
      object: 'baab86d2fcb46878a9ccfb93f37c7527779ea02b194a87aa974947ec04af09a0',
    },
    features: [dropped[0]!, ...kept, ...dropped.slice(1)],
  };
}
