import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Row } from '../../engine/engine.js';
import type { ColumnProfile } from '../profile-table.js';
import { seededRandom } from '../../learn/eval/seeded-random.js';
import { codeTarget } from './feature-association.js';
import { lateRecordedLeaks, predictiveLeaks } from './leakage.js';

const column = (name: string, semanticType: ColumnProfile['semanticType'], logicalType: ColumnProfile['logicalType']) =>
  ({ name, semanticType, logicalType }) as ColumnProfile;
const day = 86_400_000;

test('dates recorded after the time index, or set only for one outcome, are suspects; earlier dates are not', () => {
  const rng = seededRandom(11);
  const rows: Row[] = [];
  const labels: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const churned = rng.next() < 0.3;
    const signup = Date.UTC(2024, 0, 1) + i * day;
    rows.push({
      signed_up_at: new Date(signup).toISOString(),
      first_seen_at: new Date(signup - rng.int(30) * day).toISOString(),
      last_login_at: new Date(signup + (1 + rng.int(90)) * day).toISOString(),
      cancelled_at: churned ? new Date(signup - 5 * day).toISOString().slice(0, 10) : null,
    });
    labels.push(churned ? 'true' : 'false');
  }
  const columns = [
    column('signed_up_at', 'datetime', 'timestamp'),
    column('first_seen_at', 'datetime', 'timestamp'),
    column('last_login_at', 'datetime', 'timestamp'),
    column('cancelled_at', 'datetime', 'date'),
  ];
  const suspects = lateRecordedLeaks('customers', rows, columns, 'signed_up_at', codeTarget('binary', labels, 'true'));
  assert.deepEqual(suspects.map((s) => s.column).sort(), ['cancelled_at', 'last_login_at']);
  const late = suspects.find((s) => s.column === 'last_login_at')!;
  assert.match(late.evidence[0]!, /later than the time index signed_up_at in 100\.0% of the 1000 rows/);
  const cancelled = suspects.find((s) => s.column === 'cancelled_at')!;
  assert.match(
    cancelled.evidence[0]!,
    /alone predicts the target \(AUC 1\.000\): positive rate 100\.0% where it is set, 0\.0% where it is empty/,
  );
  assert.ok(
    suspects.every((s) => s.reason === 'recorded_after_target_time' && s.confidence > 0.5 && s.confidence <= 0.95),
  );
});

test('a feature is a predictive suspect at AUC ≥ 0.98 or normalised MI ≥ 0.9, not below', () => {
  const base = { table: 't', kind: 'categorical' as const, mutualInformation: 0.1, direction: null, missingShare: 0 };
  const suspects = predictiveLeaks(
    't',
    [
      { ...base, feature: 't.a', column: 'a', auc: 0.99, normalizedMi: 0.5 },
      { ...base, feature: 't.b', column: 'b', auc: 0.97, normalizedMi: 0.5 },
      { ...base, feature: 't.c', column: 'c', auc: null, normalizedMi: 0.95 },
      { ...base, feature: 'count(x)', column: null, auc: 1, normalizedMi: 1 },
    ],
    1000,
  );
  assert.deepEqual(
    suspects.map((s) => s.column),
    ['a', 'c'],
  );
});
