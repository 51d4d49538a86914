import { test } from 'node:test';
import assert from 'node:assert/strict';
import { associations, correlationRatio, cramersV, pearson, rank } from './associations.js';
import { detectPii, maskPii } from './pii.js';
import { inferSemanticType, type SemanticInput } from './semantic-type.js';
import { referenceNameScore } from './relationship-names.js';
import { patternClass } from './patterns.js';
import { sampleColumnStats } from './sample-stats.js';

test('Pearson, Spearman ranks, Cramér’s V and the correlation ratio match hand-computed values', () => {
  const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const y = Float64Array.from([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  assert.equal(pearson(x, y), 1);
  assert.equal(
    pearson(
      x,
      Float64Array.from(y, (v) => -v),
    ),
    -1,
  );
  // Monotone but not linear: Spearman is 1 where Pearson is below 1.
  const cubic = Float64Array.from(x, (v) => v ** 3);
  assert.ok(pearson(x, cubic)! < 0.95);
  assert.equal(pearson(rank(x), rank(cubic)), 1);
  assert.deepEqual([...rank(Float64Array.from([10, 20, 20, 30, NaN]))], [1, 2.5, 2.5, 4, NaN]);
  // A NaN pair is skipped, not propagated.
  assert.equal(pearson(Float64Array.from([...x, NaN]), Float64Array.from([...y, 5])), 1);

  // Perfect dependence between two 2-level variables; independence gives 0.
  const a = Int32Array.from({ length: 40 }, (_, i) => i % 2);
  assert.ok(Math.abs(cramersV(a, 2, a, 2)! - 1) < 0.05);
  const b = Int32Array.from({ length: 40 }, (_, i) => Math.floor(i / 2) % 2);
  assert.equal(cramersV(a, 2, b, 2), 0);
  // η: groups {1,1,1} {3,3,3} explain all variance; identical groups explain none.
  const g = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  assert.equal(correlationRatio(g, 2, Float64Array.from([1, 1, 1, 1, 1, 3, 3, 3, 3, 3])), 1);
  assert.equal(correlationRatio(g, 2, Float64Array.from([1, 2, 3, 4, 5, 1, 2, 3, 4, 5])), 0);
  const pairs = associations([
    { name: 'x', kind: 'numeric', values: x },
    { name: 'g', kind: 'categorical', codes: g, levels: 2 },
  ]);
  assert.deepEqual(
    pairs.map((p) => p.method),
    ['correlation_ratio'],
  );
});

const base: SemanticInput = {
  name: 'c',
  logicalType: 'string',
  nonNull: 1000,
  distinct: 10,
  unique: false,
  patterns: null,
  length: { mean: 6, max: 10 },
  numericTextShare: 0,
  sampleLevels: [],
  pii: null,
};

test('semantic types: numeric codes with few values are categorical, ISO strings datetime, unique short codes ids', () => {
  assert.equal(
    inferSemanticType({ ...base, name: 'rating', logicalType: 'integer', distinct: 5 }).semanticType,
    'categorical',
  );
  assert.equal(
    inferSemanticType({ ...base, name: 'quantity', logicalType: 'integer', distinct: 5 }).semanticType,
    'numeric',
  );
  assert.equal(
    inferSemanticType({ ...base, name: 'when', patterns: { datetime: 0.97, other: 0.03 } }).semanticType,
    'datetime',
  );
  assert.equal(
    inferSemanticType({ ...base, name: 'sku', distinct: 1000, unique: true, patterns: { code: 1 } }).semanticType,
    'id',
  );
  assert.equal(
    inferSemanticType({ ...base, name: 'order_id', logicalType: 'integer', distinct: 1000, unique: true }).semanticType,
    'id',
  );
  assert.equal(
    inferSemanticType({ ...base, name: 'flag', distinct: 2, sampleLevels: ['Y', 'N'] }).semanticType,
    'boolean',
  );
  assert.equal(
    inferSemanticType({
      ...base,
      name: 'comment',
      distinct: 990,
      length: { mean: 80, max: 400 },
      patterns: { words: 0.9 },
    }).semanticType,
    'text',
  );
  assert.equal(
    inferSemanticType({ ...base, name: 'amount', distinct: 900, numericTextShare: 1 }).semanticType,
    'numeric',
  );
  assert.equal(inferSemanticType({ ...base, nonNull: 0, distinct: 0 }).semanticType, 'text');
});

test('PII is found by name and pattern, and masked', () => {
  assert.equal(
    detectPii({ name: 'contact', isText: true, isTemporal: false, values: ['anna@x.org', 'ben@y.com', 'c@z.de'] })
      ?.kind,
    'email',
  );
  assert.equal(
    detectPii({ name: 'mobile', isText: true, isTemporal: false, values: ['+49 171 1234567', '+1 (555) 123-4567'] })
      ?.kind,
    'phone',
  );
  assert.equal(
    detectPii({
      name: 'full_name',
      isText: true,
      isTemporal: false,
      values: ['Anna Smith', "Sean O'Brien", 'Chloé Dubois'],
    })?.kind,
    'person_name',
  );
  assert.equal(
    detectPii({ name: 'product_name', isText: true, isTemporal: false, values: ['sports item 1', 'garden item 2'] }),
    null,
  );
  assert.equal(
    detectPii({ name: 'card', isText: true, isTemporal: false, values: ['4111111111111111', '5500005555555559'] })
      ?.kind,
    'credit_card',
  );
  assert.equal(
    detectPii({ name: 'n', isText: true, isTemporal: false, values: ['1234567812345678'] }),
    null,
    'Luhn check fails: not a card',
  );
  assert.equal(
    detectPii({ name: 'client_ip', isText: true, isTemporal: false, values: ['10.0.0.1', '192.168.1.20'] })?.kind,
    'ip_address',
  );
  assert.equal(detectPii({ name: 'dob', isText: false, isTemporal: true, values: [] })?.kind, 'date_of_birth');
  assert.equal(detectPii({ name: 'quantity', isText: false, isTemporal: false, values: [] }), null);
  assert.equal(maskPii('email', 'anna.smith@example.com'), 'a***@e***.com');
  assert.equal(maskPii('phone', '+49 171 9758066'), '+** *** *****66');
  assert.equal(maskPii('person_name', 'Anna Smith'), 'A*** S***');
  assert.equal(maskPii('person_name', maskPii('person_name', 'Anna Smith')), 'A*** S***', 'idempotent');
});

test('reference names: customer_id refers to customers.id and customers.customer_id, not to products', () => {
  assert.equal(referenceNameScore('customer_id', 'customers', 'id'), 1);
  assert.equal(referenceNameScore('customer_id', 'customers', 'customer_id'), 1);
  assert.equal(referenceNameScore('billing_customer_id', 'customers', 'customer_id'), 0.8);
  assert.equal(referenceNameScore('CategoryID', 'categories', 'id'), 1);
  assert.equal(referenceNameScore('id', 'customers', 'id'), 0);
  assert.equal(referenceNameScore('quantity', 'customers', 'customer_id'), 0);
});

test('sample statistics: quantiles, one bin per value for small integer ranges, scaled top values, patterns', () => {
  const s = sampleColumnStats([1, 2, 2, 3, 3, 3, null], 'integer', 10);
  assert.equal(s.quantiles?.p50, 2.5);
  assert.deepEqual(
    s.histogram?.map((b) => [b.lo, b.count]),
    [
      [1, 10],
      [2, 20],
      [3, 30],
    ],
  );
  assert.deepEqual(s.top[0], { value: 3, count: 30 });
  const t = sampleColumnStats(['2024-01-01', '2024-01-03', null], 'date', 1);
  assert.equal(t.quantiles?.p50, '2024-01-02T00:00:00.000Z');
  assert.equal(patternClass('a@b.io'), 'email');
  assert.equal(patternClass('2024-01-02 03:04:05'), 'datetime');
  assert.equal(patternClass('P-0001'), 'code');
  const text = sampleColumnStats(['12', 'x', '7', 'yy'], 'string', 1);
  assert.equal(text.numericTextShare, 0.5);
  assert.deepEqual(text.length, { min: 1, max: 2, mean: 1.5 });
});
