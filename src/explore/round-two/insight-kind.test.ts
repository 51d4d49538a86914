import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planAction } from '../../orchestrate/plan.js';
import type { ReviewedFacts } from '../../catalog/reviewed-facts.js';
import { profileKind, relateKind } from '../explore-kinds.js';
import { insightKind, planInsight } from './insight-kind.js';

const profiles = ['customers', 'orders'].map((table) =>
  planAction(profileKind, { source: 'shop', table }, [`data-${table}`], { metadataVersion: 1 }),
);
const relate = planAction(relateKind, { tables: ['shop.customers', 'shop.orders'] }, profiles, { metadataVersion: 1 });
const facts: ReviewedFacts = {
  metadataVersion: 4,
  target: { source: 'shop', table: 'customers', column: 'churned', kind: 'binary' },
  timeIndexes: [{ source: 'shop', table: 'orders', column: 'ordered_at' }],
  primaryKeys: [{ source: 'shop', table: 'customers', columns: ['customer_id'] }],
  relationships: [
    {
      from: { table: 'orders', columns: ['customer_id'] },
      to: { table: 'customers', columns: ['customer_id'] },
      confidence: 0.9,
      coverage: 0.99,
      status: 'suggested',
      evidence: ['names match'],
      fromSource: 'shop',
      toSource: 'shop',
    },
  ],
  ignored: [],
};

test('planInsight: after the profiles and the relate action, under the facts metadata version', () => {
  const a = planInsight(facts, profiles, relate)!;
  assert.equal(a.kind, insightKind.kind);
  assert.equal(a.metadataVersion, 4);
  assert.deepEqual(a.inputs, [...profiles.map((p) => p.fingerprint), relate.fingerprint]);
  assert.deepEqual(a.dependsOn, a.inputs);
  assert.deepEqual((a.params as { tables: string[] }).tables, ['shop.customers', 'shop.orders']);
});

test('planInsight: every fact it reads changes the fingerprint; a relationship re-scored does not', () => {
  const base = planInsight(facts, profiles, relate)!.fingerprint;
  const changed: ReviewedFacts[] = [
    { ...facts, metadataVersion: 5 },
    { ...facts, target: { ...facts.target!, column: 'plan', kind: 'multiclass' } },
    { ...facts, timeIndexes: [] },
    { ...facts, ignored: [{ source: 'shop', table: 'customers', column: 'age' }] },
    { ...facts, primaryKeys: [] },
    { ...facts, relationships: [] },
  ];
  for (const f of changed) assert.notEqual(planInsight(f, profiles, relate)!.fingerprint, base);
  const rescored = {
    ...facts,
    relationships: [{ ...facts.relationships[0]!, confidence: 0.95, evidence: ['other words'] }],
  };
  assert.equal(planInsight(rescored, profiles, relate)!.fingerprint, base);
});

test('planInsight: nothing to plan without a confirmed target or without the target table profiled', () => {
  assert.equal(planInsight({ ...facts, target: null }, profiles, relate), null);
  assert.equal(planInsight(facts, profiles.slice(1), relate), null);
});
