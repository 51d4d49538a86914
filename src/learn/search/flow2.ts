import type { Random } from '../eval/seeded-random.js';

/**
 * FLOW2, the randomised direct search inside FLAML's CFO (Wu, Wang, Huang 2021), proposing in
 * batches so a round of trials can run in parallel: from the incumbent, a step of size δ along
 * random unit directions u, each tried both ways (+u and −u, which the sequential FLOW2 tries
 * one after the other). The best improvement in a batch moves the incumbent. After 2^(d−1)
 * (capped) directions without improvement the step halves; below a floor the search restarts
 * from a perturbed incumbent. Starting from the low-cost point, cost rises only as far as
 * improvements lead it.
 */
export interface Flow2 {
  /** The next `directions` × 2 points to evaluate (plus the centre first, while its score is unknown). */
  propose(directions: number): Float64Array[];
  /** Scores (higher is better; NaN for a failed trial) of the last proposed points, in order. */
  report(scores: readonly number[]): void;
  readonly best: { point: Float64Array; score: number } | null;
}

export function flow2(
  start: Float64Array,
  rng: Random,
  options: { step?: number; minStep?: number; startScore?: number } = {},
): Flow2 {
  const d = start.length;
  const step0 = options.step ?? 0.1 * Math.sqrt(d);
  const minStep = options.minStep ?? 0.002 * Math.sqrt(d);
  const patience = Math.min(2 ** Math.max(0, d - 1), 2 * d + 2);
  let incumbent: Float64Array = start.slice();
  let incumbentScore = options.startScore ?? Number.NaN;
  let best: { point: Float64Array; score: number } | null = Number.isNaN(incumbentScore)
    ? null
    : { point: start.slice(), score: incumbentScore };
  let step = step0;
  let failures = 0;
  let pending: { points: Float64Array[]; directions: number; centre: boolean } | null = null;

  const randomDirection = (): Float64Array => {
    const u = Float64Array.from({ length: d }, () => rng.normal());
    const norm = Math.hypot(...u) || 1;
    return u.map((x) => x / norm);
  };
  const clamp = (p: Float64Array) => p.map((x) => Math.min(1, Math.max(0, x)));

  return {
    get best() {
      return best;
    },
    propose(directions) {
      const centre = Number.isNaN(incumbentScore);
      const points: Float64Array[] = centre ? [incumbent.slice()] : [];
      for (let k = 0; k < directions; k++) {
        const u = randomDirection();
        for (const sign of [1, -1]) points.push(clamp(incumbent.map((x, i) => x + sign * step * u[i]!)));
      }
      pending = { points, directions, centre };
      return points.map((p) => p.slice());
    },
    report(scores) {
      const batch = pending!;
      pending = null;
      let top = -1;
      batch.points.forEach((point, i) => {
        const s = scores[i] ?? Number.NaN;
        if (Number.isNaN(s)) return;
        if (best === null || s > best.score) best = { point, score: s };
        if (top < 0 || s > scores[top]!) top = i;
      });
      const improved = top >= 0 && (Number.isNaN(incumbentScore) || scores[top]! > incumbentScore);
      if (improved) {
        incumbent = batch.points[top]!;
        incumbentScore = scores[top]!;
        failures = 0;
        return;
      }
      failures += batch.directions;
      if (failures < patience) return;
      failures = 0;
      step /= 2;
      if (step >= minStep) return;
      // Converged locally: restart near the incumbent with a fresh step; its score is asked for anew.
      step = step0;
      incumbent = clamp(incumbent.map((x) => x + rng.normal() * step0));
      incumbentScore = Number.NaN;
    },
  };
}
