import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeatureSetRecord } from './feature-set-record.js';
import type { FeatureDef } from '../catalog/feature-types.js';
import { catalogFeatureSets } from './catalog-feature-sets.js';

const feature = (name: string, extra: Partial<FeatureDef> = {}): FeatureDef => ({
  name,
  kind: 'numeric',
  primitive: 'COUNT',
  depth: 1,
  tables: ['customers', 'orders'],
  sql: `SELECT 1 AS "${name}"`,
  ...extra,
});

function record(column: string): FeatureSetRecord {
  return {
    target: { source: 'shop', table: 'customers', column, kind: 'binary' },
    key: ['customer_id'],
    timeColumn: null,
    depth: 1,
    cutoff: { kind: 'none' },
    cutoffAsked: true,
    windowDays: 30,
    warnings: ['no cutoff: every child row is used'],
    estimate: { rows: 10, columns: 5, bytes: 400 },
    matrix: {
      fingerprint: 'f',
      object: 'abc',
      bytes: 321,
      rows: 10,
      columns: [
        { name: 'customer_id', type: 'BIGINT' },
        { name: column, type: 'BOOLEAN' },
        { name: 'a', type: 'DOUBLE' },
        { name: 'b', type: 'DOUBLE' },
        { name: 'c', type: 'DOUBLE' },
      ],
    },
    features: [
      feature('a'),
      feature('b', { leakage: 'customers.x: recorded after the target' }),
      feature('c'),
      feature('d'),
    ],
    selection: {
      kept: ['a'],
      dropped: [
        { name: 'b', reason: 'leakage suspect: customers.x' },
        { name: 'c', reason: 'constant' },
        { name: 'c', reason: 'no gain' },
      ],
      ranking: [
        { name: 'a', gain: 0.9 },
        { name: 'c', gain: 0.1 },
      ],
      sampleRows: 10,
    },
    graph: { source: 'shop', tables: [], edges: [] },
    metadataVersion: 2,
    maxFeatures: 1,
    seed: 42,
  };
}

test('each feature joins its lineage with what selection did: kept, or dropped with the first reason, and its gain', () => {
  const [set] = catalogFeatureSets([record('churned')]);
  assert.deepEqual(set!.matrix, { rows: 10, columns: 5, bytes: 321, object: 'abc' });
  assert.deepEqual(set!.target, { source: 'shop', table: 'customers', column: 'churned', kind: 'binary' });
  assert.equal(set!.windowDays, 30);
  assert.equal(set!.metadataVersion, 2);
  assert.deepEqual(
    set!.features.map((f) => [f.name, f.status, f.reason, f.gain, f.leakage]),
    [
      ['a', 'kept', undefined, 0.9, undefined],
      ['b', 'dropped', 'leakage suspect: customers.x', undefined, 'customers.x: recorded after the target'],
      ['c', 'dropped', 'constant', 0.1, undefined],
      ['d', 'dropped', 'not selected', undefined, undefined],
    ],
  );
  assert.equal(set!.features[0]!.sql, 'SELECT 1 AS "a"');
  // Absent fields are left out, not written as null: the JSON stays as small as the record.
  assert.deepEqual(Object.keys(set!.features[0]!), [
    'name',
    'kind',
    'primitive',
    'depth',
    'tables',
    'sql',
    'status',
    'gain',
  ]);
});

test('feature sets are ordered by target', () => {
  assert.deepEqual(
    catalogFeatureSets([record('upgraded'), record('churned')]).map((s) => s.target.column),
    ['churned', 'upgraded'],
  );
});
