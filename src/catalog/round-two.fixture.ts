import type { RoundTwo } from './round-two-types.js';

/** A hostile feature name: must show as text in the round-two section too. */
export const HOSTILE_FEATURE = '<img src=x onerror=alert(1)>';

/**
 * A round-two result shaped like the shop demo's (figures rounded from a real run), for
 * report tests; `hostile` adds a feature with a name that must not become markup.
 */
export function shopRoundTwo(hostile = false): RoundTwo {
  const f = (
    feature: string,
    column: string | null,
    kind: 'numeric' | 'categorical' | 'child_aggregate',
    auc: number,
    mi: number,
  ) => ({
    feature,
    table: feature.includes('(') ? feature.slice(feature.indexOf('(') + 1).split(/[.)]/)[0]! : 'customers',
    column,
    kind,
    mutualInformation: mi * 0.72,
    normalizedMi: mi,
    auc,
    direction: kind === 'categorical' ? null : ('higher' as const),
    missingShare: 0,
  });
  const ranked = [
    { ...f('customers.cancellation_reason', 'cancellation_reason', 'categorical', 1, 1), missingShare: 0.7987 },
    f('count(support_tickets)', null, 'child_aggregate', 0.7207, 0.1058),
    f('count(orders)', null, 'child_aggregate', 0.6557, 0.0539),
    f('customers.plan', 'plan', 'categorical', 0.6501, 0.0587),
    f('customers.age', 'age', 'numeric', 0.5133, 0.0041),
    ...(hostile ? [f(`customers.${HOSTILE_FEATURE}`, HOSTILE_FEATURE, 'numeric', 0.51, 0.001)] : []),
  ];
  const windows = ['2023-01-01', '2023-05-11', '2023-09-24', '2024-01-30', '2024-06-09', '2024-10-20'].map(
    (from, i) => ({ index: i + 1, from, to: from, rows: 500, targetRate: [0.23, 0.22, 0.184, 0.22, 0.192, 0.162][i]! }),
  );
  return {
    metadataVersion: 1,
    target: { source: 'shop', table: 'customers', column: 'churned', kind: 'binary' },
    targetSummary: {
      kind: 'binary',
      rows: 3000,
      missing: 0,
      classes: [
        { value: 'false', count: 2396, share: 0.7987 },
        { value: 'true', count: 604, share: 0.2013 },
      ],
      positive: 'true',
      distribution: null,
      notes: [],
    },
    associations: { sampleRows: 3000, sampling: 'all 3000 rows with a target value', ranked },
    leakage: [
      {
        table: 'customers',
        column: 'cancellation_reason',
        reason: 'predicts_target',
        confidence: 0.99,
        evidence: [
          'a model using cancellation_reason alone reaches AUC 1.000 (target rate per value, learned out of fold, 3000 rows)',
          "it explains 100.0% of the target's entropy (mutual information 0.725 bits)",
        ],
      },
    ],
    relationships: [
      {
        from: { source: 'shop', table: 'orders', columns: ['customer_id'] },
        to: { source: 'shop', table: 'customers', columns: ['customer_id'] },
        fanOut: { parents: 3000, childless: 84, mean: 9.471, p50: 6, p95: 28, max: 169 },
        childRows: 28514,
        orphanRows: 100,
        orphanRate: 0.00351,
        aggregates: [ranked[2]!],
        note: null,
      },
    ],
    drift: [
      {
        source: 'shop',
        table: 'customers',
        timeIndex: 'signed_up_at',
        windows,
        columns: [
          {
            column: 'plan',
            kind: 'categorical',
            psi: [0, 0.004, 0.02, 0.01, 0.006, 0.0199],
            maxPsi: 0.0199,
            flagged: false,
          },
          { column: 'age', kind: 'numeric', psi: [0, 0.03, 0.078, 0.05, 0.21, 0.25], maxPsi: 0.25, flagged: true },
        ],
      },
    ],
    proposals: [
      {
        name: 'days_since_signed_up_at',
        description: 'days since customers.signed_up_at',
        definition: "DATE_DIFF('day', customers.signed_up_at, :cutoff)",
        tables: ['customers'],
        evidence: null,
      },
      {
        name: 'count_orders_last_90d',
        description: 'count of orders per customer in the last 90 days',
        definition:
          'COUNT(*) FROM orders WHERE orders.customer_id = customers.customer_id AND orders.ordered_at >= :cutoff - INTERVAL 90 DAY AND orders.ordered_at < :cutoff',
        tables: ['orders', 'customers'],
        evidence: null,
      },
    ],
    findings: [
      'customers.cancellation_reason predicts the target almost perfectly: probably a leak.',
      'The share of customers.churned = true goes from 23% in the first window of customers.signed_up_at to 16.2% in the last.',
    ],
    alerts: [
      {
        source: 'shop',
        table: 'customers',
        column: 'cancellation_reason',
        alert: { kind: 'leakage_suspect', detail: 'predicts the target almost perfectly' },
      },
    ],
  };
}
