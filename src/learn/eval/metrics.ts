import type { Predictions, TaskKind } from '../dataset.js';

/** The metrics `fathom train --metric` accepts. */
export const METRICS = ['auc', 'logloss', 'accuracy', 'f1', 'rmse', 'mae', 'r2'] as const;
export type MetricName = (typeof METRICS)[number];

/** Whether a larger value is better (the search maximises `score`, see `metricScore`). */
export function higherIsBetter(metric: MetricName): boolean {
  return metric === 'auc' || metric === 'accuracy' || metric === 'f1' || metric === 'r2';
}

/** Metrics that make sense for a task kind; the first is the default. */
export function metricsFor(task: TaskKind): readonly MetricName[] {
  return task === 'regression' ? ['rmse', 'mae', 'r2'] : ['auc', 'logloss', 'accuracy', 'f1'];
}

/**
 * Compute a metric over the rows in `rows` (all rows when omitted). `target` holds class
 * indices or regression values; `values` is laid out as in `Predictions` with `classes`
 * probabilities per row for multiclass.
 */
export function computeMetric(
  metric: MetricName,
  target: Float64Array,
  pred: Pick<Predictions, 'task' | 'values'>,
  rows?: ArrayLike<number>,
): number {
  const idx = rows ?? allRows(target.length);
  const kind = pred.task.kind;
  const k = kind === 'multiclass' ? pred.task.classes!.length : 1;
  if (kind === 'regression' && !(metric === 'rmse' || metric === 'mae' || metric === 'r2'))
    throw new Error(`metric ${metric} needs a classification task`);
  switch (metric) {
    case 'rmse':
      return Math.sqrt(mean(idx, (i) => (pred.values[i]! - target[i]!) ** 2));
    case 'mae':
      return mean(idx, (i) => Math.abs(pred.values[i]! - target[i]!));
    case 'r2': {
      const m = mean(idx, (i) => target[i]!);
      let ssRes = 0;
      let ssTot = 0;
      for (let j = 0; j < idx.length; j++) {
        const i = idx[j]!;
        ssRes += (target[i]! - pred.values[i]!) ** 2;
        ssTot += (target[i]! - m) ** 2;
      }
      return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
    }
    case 'logloss':
      return kind === 'binary'
        ? mean(idx, (i) => -Math.log(clip(target[i] === 1 ? pred.values[i]! : 1 - pred.values[i]!)))
        : mean(idx, (i) => -Math.log(clip(pred.values[i * k + target[i]!]!)));
    case 'accuracy': {
      const labels = predictedLabels(pred.values, kind, k, idx);
      return mean(idx, (i, j) => (labels[j] === target[i] ? 1 : 0));
    }
    case 'f1':
      return kind === 'binary'
        ? binaryF1(target, predictedLabels(pred.values, kind, 1, idx), idx)
        : macroF1(target, predictedLabels(pred.values, kind, k, idx), idx, k);
    case 'auc':
      if (kind === 'binary')
        return auc(
          idx,
          (i) => pred.values[i]!,
          (i) => target[i] === 1,
        );
      // Multiclass: macro average of one-vs-rest AUCs over the classes present.
      {
        let sum = 0;
        let n = 0;
        for (let c = 0; c < k; c++) {
          const a = auc(
            idx,
            (i) => pred.values[i * k + c]!,
            (i) => target[i] === c,
          );
          if (!Number.isNaN(a)) {
            sum += a;
            n++;
          }
        }
        return n === 0 ? Number.NaN : sum / n;
      }
  }
}

/**
 * Area under the ROC curve by the rank-sum (Mann–Whitney) formula; tied scores get their
 * average rank, so a tie between a positive and a negative counts one half. NaN when one
 * class is absent.
 */
export function auc(rows: ArrayLike<number>, score: (i: number) => number, positive: (i: number) => boolean): number {
  const order = Array.from(rows).sort((a, b) => score(a) - score(b));
  let pos = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && score(order[end + 1]!) === score(order[start]!)) end++;
    const avgRank = (start + end) / 2 + 1;
    for (let j = start; j <= end; j++) {
      if (positive(order[j]!)) {
        pos++;
        rankSum += avgRank;
      }
    }
    start = end + 1;
  }
  const neg = order.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function binaryF1(target: Float64Array, labels: Int32Array, idx: ArrayLike<number>): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let j = 0; j < idx.length; j++) {
    const t = target[idx[j]!]!;
    const p = labels[j]!;
    if (p === 1 && t === 1) tp++;
    else if (p === 1) fp++;
    else if (t === 1) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Macro F1: the unweighted mean of per-class F1 over classes present in truth or prediction. */
function macroF1(target: Float64Array, labels: Int32Array, idx: ArrayLike<number>, k: number): number {
  const tp = new Float64Array(k);
  const fp = new Float64Array(k);
  const fn = new Float64Array(k);
  for (let j = 0; j < idx.length; j++) {
    const t = target[idx[j]!]!;
    const p = labels[j]!;
    if (p === t) tp[t]!++;
    else {
      fp[p]!++;
      fn[t]!++;
    }
  }
  let sum = 0;
  let n = 0;
  for (let c = 0; c < k; c++) {
    if (tp[c]! + fp[c]! + fn[c]! === 0) continue;
    sum += (2 * tp[c]!) / (2 * tp[c]! + fp[c]! + fn[c]!);
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

/** The predicted class of each listed row: threshold 0.5 for binary, argmax for multiclass. */
export function predictedLabels(values: Float64Array, kind: TaskKind, k: number, idx: ArrayLike<number>): Int32Array {
  const out = new Int32Array(idx.length);
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j]!;
    if (kind === 'binary') out[j] = values[i]! >= 0.5 ? 1 : 0;
    else {
      let best = 0;
      for (let c = 1; c < k; c++) if (values[i * k + c]! > values[i * k + best]!) best = c;
      out[j] = best;
    }
  }
  return out;
}

const clip = (p: number): number => Math.min(1 - 1e-15, Math.max(1e-15, p));

function mean(idx: ArrayLike<number>, f: (i: number, j: number) => number): number {
  let s = 0;
  for (let j = 0; j < idx.length; j++) s += f(idx[j]!, j);
  return idx.length === 0 ? Number.NaN : s / idx.length;
}

function allRows(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** The search maximises: higher-is-better metrics as is, the others negated. */
export function metricScore(metric: MetricName, value: number): number {
  return higherIsBetter(metric) ? value : -value;
}
