import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectEnsemble } from './ensemble-selection.js';

test('ensemble selection mixes two complementary models and ignores a useless one', () => {
  // Model a is right on the first half, b on the second; c is noise. Their average beats both.
  const y = Float64Array.from([1, 0, 1, 0, 1, 0, 1, 0]);
  const a = Float64Array.from([0.9, 0.1, 0.9, 0.1, 0.4, 0.6, 0.4, 0.6]);
  const b = Float64Array.from([0.4, 0.6, 0.4, 0.6, 0.9, 0.1, 0.9, 0.1]);
  const c = Float64Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  const rows = Int32Array.from(y.keys());
  const task = { kind: 'binary' as const, classes: ['0', '1'] };
  const choice = selectEnsemble(
    [
      { id: 'a', oof: a },
      { id: 'b', oof: b },
      { id: 'c', oof: c },
    ],
    y,
    task,
    'logloss',
    rows,
  );
  assert.ok(choice.weights.has('a') && choice.weights.has('b'));
  assert.ok(!choice.weights.has('c'));
  assert.ok(Math.abs([...choice.weights.values()].reduce((s, w) => s + w, 0) - 1) < 1e-12);
  const single = selectEnsemble([{ id: 'a', oof: a }], y, task, 'logloss', rows);
  assert.ok(choice.metricValue < single.metricValue, 'the blend has lower logloss than a alone');
  assert.deepEqual([...single.weights], [['a', 1]]);
});
