import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetric } from './metrics.js';
import { calibrationCurve } from './calibration-curve.js';

const bin = { kind: 'binary' as const, classes: ['n', 'p'] };
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('AUC by hand, with a tie between a positive and a negative counting one half', () => {
  const y = Float64Array.from([0, 0, 1, 1]);
  // Pairs (pos, neg): (0.8 vs 0.1) win, (0.8 vs 0.4) win, (0.4 vs 0.1) win, (0.4 vs 0.4) tie → 3.5/4.
  near(computeMetric('auc', y, { task: bin, values: Float64Array.from([0.1, 0.4, 0.4, 0.8]) }), 0.875);
  near(computeMetric('auc', y, { task: bin, values: Float64Array.from([0.9, 0.8, 0.2, 0.1]) }), 0);
  assert.ok(
    Number.isNaN(computeMetric('auc', Float64Array.from([1, 1]), { task: bin, values: Float64Array.from([0.2, 0.3]) })),
  );
});

test('logloss, accuracy and F1 for a binary task by hand', () => {
  const y = Float64Array.from([1, 0, 1, 0]);
  const p = Float64Array.from([0.9, 0.2, 0.4, 0.6]);
  near(
    computeMetric('logloss', y, { task: bin, values: p }),
    -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.4)) / 4,
  );
  near(computeMetric('accuracy', y, { task: bin, values: p }), 0.5);
  // tp 1, fp 1, fn 1 → 2/(2+1+1)
  near(computeMetric('f1', y, { task: bin, values: p }), 0.5);
  // Only rows 0 and 1: both right.
  near(computeMetric('accuracy', y, { task: bin, values: p }, [0, 1]), 1);
});

test('multiclass logloss, accuracy, macro F1 and macro AUC by hand', () => {
  const task = { kind: 'multiclass' as const, classes: ['a', 'b', 'c'] };
  const y = Float64Array.from([0, 1, 2, 2]);
  const p = Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.6, 0.3, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8]);
  near(
    computeMetric('logloss', y, { task, values: p }),
    -(Math.log(0.7) + Math.log(0.6) + Math.log(0.3) + Math.log(0.8)) / 4,
  );
  near(computeMetric('accuracy', y, { task, values: p }), 0.75);
  // Predicted 0,1,1,2. F1: a = 1, b = 2/(2+1) = 2/3, c = 2/(2+0+1) = 2/3.
  near(computeMetric('f1', y, { task, values: p }), (1 + 2 / 3 + 2 / 3) / 3);
  // One-vs-rest AUCs: a: 1; b: scores 0.6 vs (0.2,0.5,0.1) → 1; c: (0.3,0.8) vs (0.1,0.3) → (1 + 0.5 + 1 + 1)/4.
  near(computeMetric('auc', y, { task, values: p }), (1 + 1 + 0.875) / 3);
});

test('RMSE, MAE and R² by hand', () => {
  const task = { kind: 'regression' as const };
  const y = Float64Array.from([1, 2, 3, 4]);
  const p = Float64Array.from([1, 3, 3, 2]);
  near(computeMetric('rmse', y, { task, values: p }), Math.sqrt(5 / 4));
  near(computeMetric('mae', y, { task, values: p }), 3 / 4);
  // ss_res 5, ss_tot 5 → 0
  near(computeMetric('r2', y, { task, values: p }), 0);
  near(computeMetric('r2', y, { task, values: y }), 1);
});

test('calibration curve bins predictions and leaves empty bins out', () => {
  const y = Float64Array.from([0, 1, 1, 1, 0]);
  const p = Float64Array.from([0.05, 0.15, 0.95, 1, 0.12]);
  const curve = calibrationCurve(y, p, 10);
  assert.deepEqual(
    curve.map((b) => [b.lower, b.count]),
    [
      [0, 1],
      [0.1, 2],
      [0.9, 2],
    ],
  );
  near(curve[1]!.observedRate, 0.5);
  near(curve[2]!.meanPredicted, 0.975);
});
