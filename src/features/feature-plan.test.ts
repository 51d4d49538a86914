import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnInfo, LogicalType } from '../engine/engine.js';
import type { ColumnData } from '../engine/read-columns.js';
import { buildFeatures, planFeatures } from './feature-plan.js';
import { targetValues } from './infer-task.js';
import { FathomError } from '../util/fathom-error.js';

const info = (name: string, logicalType: LogicalType): ColumnInfo => ({
  name,
  physicalType: logicalType.toUpperCase(),
  logicalType,
  nullable: true,
});
const nums = (name: string, values: number[]): ColumnData => ({
  name,
  kind: 'number',
  data: Float64Array.from(values),
});
const vals = (name: string, values: Array<string | boolean | null>): ColumnData => ({
  name,
  kind: 'values',
  data: values,
});

test('column treatments: numbers, booleans 0/1, dates as epoch ms, few-valued text as categories; ids, free text, constants dropped', () => {
  const n = 30;
  const cols: Array<[ColumnInfo, ColumnData]> = [
    [
      info('id', 'integer'),
      nums(
        'id',
        Array.from({ length: n }, (_, i) => i + 1),
      ),
    ],
    [
      info('num1', 'float'),
      nums(
        'num1',
        Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Number.NaN : i / 3)),
      ),
    ],
    [
      info('bool1', 'boolean'),
      vals(
        'bool1',
        Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 2 === 0)),
      ),
    ],
    [
      info('ts1', 'timestamp'),
      vals(
        'ts1',
        Array.from({ length: n }, (_, i) => `2024-01-0${1 + (i % 9)}T00:00:00.000Z`),
      ),
    ],
    [
      info('cat1', 'string'),
      vals(
        'cat1',
        Array.from({ length: n }, (_, i) => ['b', 'a', null][i % 3]!),
      ),
    ],
    [
      info('text1', 'string'),
      vals(
        'text1',
        Array.from({ length: n }, (_, i) => `comment ${i % 20} words`),
      ),
    ],
    [
      info('uuid1', 'string'),
      vals(
        'uuid1',
        Array.from({ length: n }, (_, i) => `u-${i}`),
      ),
    ],
    [
      info('const1', 'string'),
      vals(
        'const1',
        Array.from({ length: n }, () => 'x'),
      ),
    ],
    [
      info('blob1', 'binary'),
      vals(
        'blob1',
        Array.from({ length: n }, () => null),
      ),
    ],
    [
      info('target', 'integer'),
      nums(
        'target',
        Array.from({ length: n }, (_, i) => i % 2),
      ),
    ],
  ];
  const plan = planFeatures(
    cols.map((c) => c[0]),
    cols.map((c) => c[1]),
    n,
    new Map([['target', '']]),
  );
  assert.deepEqual(
    plan.features.map((f) => [f.column, f.treatment]),
    [
      ['num1', 'numeric'],
      ['bool1', 'boolean'],
      ['ts1', 'datetime'],
      ['cat1', 'categorical'],
    ],
  );
  const reasons = Object.fromEntries(plan.dropped.map((d) => [d.column, d.reason]));
  assert.deepEqual(Object.keys(reasons).sort(), ['blob1', 'const1', 'id', 'text1', 'uuid1']);
  assert.match(reasons.id!, /identifier: an integer unique per row/);
  assert.match(reasons.uuid1!, /identifier: text unique per row/);
  assert.match(reasons.text1!, /free text: 20 distinct values in 30 rows/);
  assert.match(reasons.const1!, /constant/);
  assert.match(reasons.blob1!, /all values missing|not used/);
  const features = buildFeatures(
    plan,
    cols.map((c) => c[1]),
    n,
    Int32Array.of(0, 1, 3),
  );
  const byName = Object.fromEntries(features.map((f) => [f.name, f]));
  assert.deepEqual(Array.from((byName.bool1 as { values: Float64Array }).values), [Number.NaN, 0, 0]);
  assert.equal((byName.ts1 as { values: Float64Array }).values[1], Date.UTC(2024, 0, 2));
  assert.deepEqual((byName.cat1 as { categories: readonly string[] } | undefined)!.categories, ['a', 'b']);
  assert.deepEqual(Array.from((byName.cat1 as { codes: Int32Array }).codes), [1, 0, 1]);
});

test('task inference: two numbers are binary (sorted numerically), text is multiclass, other numbers regression', () => {
  const two = targetValues('t.y', info('y', 'integer'), nums('y', [10, 2, 10, Number.NaN]), 4);
  assert.equal(two.task.kind, 'binary');
  assert.deepEqual(two.task.classes, ['2', '10']);
  assert.deepEqual(Array.from(two.target), [1, 0, 1]);
  assert.deepEqual(Array.from(two.keep), [0, 1, 2], 'null targets are left out');
  const three = targetValues('t.c', info('c', 'string'), vals('c', ['lo', 'hi', 'mid', 'hi']), 4);
  assert.equal(three.task.kind, 'multiclass');
  assert.deepEqual(three.task.classes, ['hi', 'lo', 'mid']);
  assert.equal(targetValues('t.r', info('r', 'float'), nums('r', [1.5, 2, 3]), 3).task.kind, 'regression');
  assert.equal(
    targetValues('t.r', info('r', 'integer'), nums('r', [1, 2, 3]), 3, 'multiclass').task.kind,
    'multiclass',
    '--task overrides',
  );
  assert.throws(
    () => targetValues('t.c', info('c', 'string'), vals('c', ['a', 'b', 'c']), 3, 'regression'),
    (e: unknown) => e instanceof FathomError && /holds text/.test(e.message),
  );
  assert.throws(
    () =>
      targetValues(
        't.c',
        info('c', 'string'),
        vals(
          'c',
          Array.from({ length: 200 }, (_, i) => `v${i}`),
        ),
        200,
      ),
    /more than 100 distinct values/,
  );
});
