import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionFingerprint } from '../../orchestrate/fingerprint.js';
import { hashJson } from '../../util/hash.js';
import type { SourceTable } from '../../sources/source.js';
import type { ActionRecord, SubjectRecord } from '../../orchestrate/run-action.js';
import type { KindInfo, PipelineState } from '../pipeline-state.js';
import { exploreGoals } from '../explore-project.js';
import { derivePlan } from './derive-plan.js';

const kinds = new Map<string, KindInfo>([
  [
    'explore.profile',
    { version: '4', subject: (p) => `${(p as { source: string }).source}.${(p as { table: string }).table}` },
  ],
  ['explore.relate', { version: '1', subject: () => 'all' }],
]);
const table = (name: string, fingerprint: string): SourceTable => ({
  name,
  source: 's',
  location: `/data/${name}.csv`,
  ref: { name },
  fingerprint,
  rows: 3,
  columns: [{ name: 'id', physicalType: 'BIGINT', logicalType: 'integer', nullable: false }],
});

/** A project of two files, `a` and `b`, recorded at entry 1 with these fingerprints. */
function state(a: string, b: string, extra: Partial<PipelineState> = {}): PipelineState {
  return {
    now: 0,
    runFrom: 0,
    trainingStartedAt: null,
    kinds,
    cores: 2,
    sources: [
      {
        name: 's',
        record: { kind: 'files', location: '/data', credential: null, options: {}, tables: ['a', 'b'] },
        tables: [table('a', a), table('b', b)],
        recorded: new Map([
          ['a', 'fa1'],
          ['b', 'fb1'],
        ]),
        recordedSeq: 1,
      },
    ],
    tags: new Map(),
    metadataVersion: 0,
    latest: { profiles: new Map(), relationships: null, roundTwo: null, featureSets: new Map() },
    searches: new Map(),
    modelVersions: [],
    serving: new Set(),
    subjects: new Map(),
    records: new Map(),
    outputs: new Map(),
    ...extra,
  };
}

const profileFp = (t: string, fp: string) =>
  actionFingerprint({ kind: 'explore.profile', version: '4', params: { source: 's', table: t }, inputs: [fp] });
const succeeded = (seq: number): ActionRecord & { seq: number } => ({
  kind: 'explore.profile',
  version: '4',
  status: 'succeeded',
  output: 'out',
  encoding: 'json',
  error: null,
  workerId: 'w',
  seq,
});
const subject = (t: string, fp: string, seq: number): [string, SubjectRecord & { seq: number }] => [
  `explore.profile s.${t}`,
  {
    kind: 'explore.profile',
    version: '4',
    fingerprint: profileFp(t, fp),
    inputs: [fp],
    metadataVersion: null,
    params: hashJson({ source: 's', table: t }),
    seq,
  },
];

test('the planner asks for what it lacks, then says what runs: never-run profiles ready, the rest blocked', () => {
  const first = derivePlan(exploreGoals(), state('fa1', 'fb1'));
  const relate = first.nodes.find((n) => n.id === 'explore.relate')!.action!.fingerprint;
  assert.deepEqual(
    [...first.wants.records].sort(),
    [profileFp('a', 'fa1'), profileFp('b', 'fb1'), relate].sort(),
    'the records of the actions it planned, and nothing else',
  );
  const looked = state('fa1', 'fb1', {
    records: new Map([
      [profileFp('a', 'fa1'), null],
      [profileFp('b', 'fb1'), null],
    ]),
  });
  const plan = derivePlan(exploreGoals(), looked);
  const states = Object.fromEntries(plan.nodes.map((n) => [n.id, n.state]));
  assert.deepEqual(states['explore.profile s.a'], 'ready');
  assert.deepEqual(states['explore.profile s.b'], 'ready');
  assert.deepEqual(states['explore.relate'], 'blocked');
  assert.deepEqual(plan.nodes.find((n) => n.id === 'explore.relate')!.deps, [
    'explore.profile s.a',
    'explore.profile s.b',
  ]);
});

test('a changed file makes its profile stale, naming the file and the entry; the unchanged one is reused', () => {
  const s = state('fa2', 'fb1', {
    records: new Map([
      [profileFp('a', 'fa2'), null],
      [profileFp('b', 'fb1'), succeeded(8)],
    ]),
    subjects: new Map([subject('a', 'fa1', 7), subject('b', 'fb1', 8)]),
  });
  const plan = derivePlan(exploreGoals(), s);
  const a = plan.nodes.find((n) => n.id === 'explore.profile s.a')!;
  const b = plan.nodes.find((n) => n.id === 'explore.profile s.b')!;
  assert.deepEqual([a.state, a.reason], ['stale', 'a.csv changed since entry 7']);
  assert.equal(b.state, 'reused');
  // The data went back to what an earlier entry computed: that output is reused, with the projection moved back.
  const back = derivePlan(
    exploreGoals(),
    state('fa1', 'fb1', {
      records: new Map([
        [profileFp('a', 'fa1'), succeeded(5)],
        [profileFp('b', 'fb1'), succeeded(8)],
      ]),
      subjects: new Map([subject('a', 'fa2', 9), subject('b', 'fb1', 8)]),
    }),
  );
  assert.match(back.nodes.find((n) => n.id === 'explore.profile s.a')!.reason!, /back to those of entry 5/);
});

test('the planner is a function of its inputs: the same state, the same plan', () => {
  const s = state('fa2', 'fb1', { subjects: new Map([subject('a', 'fa1', 7)]) });
  assert.deepEqual(derivePlan(exploreGoals(), s), derivePlan(exploreGoals(), s));
  assert.doesNotThrow(() => JSON.stringify(derivePlan(exploreGoals(), s).nodes));
});
