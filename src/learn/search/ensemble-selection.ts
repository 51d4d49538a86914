import type { Task } from '../dataset.js';
import { computeMetric, metricScore, type MetricName } from '../eval/metrics.js';

export interface Candidate {
  readonly id: string;
  /** Out-of-fold predictions (NaN where a row was never validated). */
  readonly oof: Float64Array;
}

export interface EnsembleChoice {
  /** Weight per candidate id (summing to 1); candidates never picked are absent. */
  readonly weights: ReadonlyMap<string, number>;
  readonly score: number;
  readonly metricValue: number;
}

/**
 * Greedy ensemble selection with replacement (Caruana et al. 2004): start empty, and at each
 * of `rounds` steps add the candidate whose inclusion gives the best metric on the
 * out-of-fold predictions of the averaged ensemble; keep the best prefix. Weights are pick
 * counts over picks. Ties go to the earlier candidate, so the choice is deterministic.
 */
export function selectEnsemble(
  candidates: readonly Candidate[],
  target: Float64Array,
  task: Task,
  metric: MetricName,
  rows: Int32Array,
  options: { rounds?: number; stopAt?: number | null } = {},
): EnsembleChoice {
  const rounds = options.rounds ?? 25;
  if (candidates.length === 0) throw new Error('ensemble selection needs at least one candidate');
  const width = task.kind === 'multiclass' ? task.classes!.length : 1;
  const sum = new Float64Array(target.length * width);
  const trial = new Float64Array(sum.length);
  const counts = new Array<number>(candidates.length).fill(0);
  let picks = 0;
  let bestScore = -Infinity;
  let bestCounts = counts.slice();
  let bestValue = Number.NaN;
  for (let round = 0; round < rounds; round++) {
    // Out of time: keep the best prefix so far (there is always one after the first round).
    if (round > 0 && options.stopAt != null && Date.now() >= options.stopAt) break;
    let pick = -1;
    let pickScore = -Infinity;
    let pickValue = Number.NaN;
    for (const [c, cand] of candidates.entries()) {
      for (let j = 0; j < rows.length; j++) {
        const r = rows[j]!;
        for (let k = 0; k < width; k++)
          trial[r * width + k] = (sum[r * width + k]! + cand.oof[r * width + k]!) / (picks + 1);
      }
      const value = computeMetric(metric, target, { task, values: trial }, rows);
      const score = metricScore(metric, value);
      if (score > pickScore) {
        pick = c;
        pickScore = score;
        pickValue = value;
      }
    }
    if (pick < 0) break;
    const chosen = candidates[pick]!.oof;
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j]!;
      for (let k = 0; k < width; k++) sum[r * width + k]! += chosen[r * width + k]!;
    }
    counts[pick]!++;
    picks++;
    if (pickScore > bestScore) {
      bestScore = pickScore;
      bestCounts = counts.slice();
      bestValue = pickValue;
    }
  }
  const total = bestCounts.reduce((s, c) => s + c, 0);
  const weights = new Map<string, number>();
  bestCounts.forEach((c, i) => c > 0 && weights.set(candidates[i]!.id, c / total));
  return { weights, score: bestScore, metricValue: bestValue };
}
