import type { Random } from '../eval/seeded-random.js';

/**
 * FLOW2, the randomised direct search inside FLAML's CFO (Wu, Wang, Huang 2021): from the
 * incumbent, try a step of size δ along a random unit direction u, then along −u; move on an
 * improvement. After 2^(d−1) (capped) directions without improvement the step shrinks; below a
 * floor the search restarts from a perturbed incumbent. Starting from the low-cost point, cost
 * rises only as far as improvements lead it.
 */
export interface Flow2 {
  /** The next point to evaluate, in the unit cube. */
  propose(): Float64Array;
  /** Report the score (higher is better; NaN for a failed trial) of the last proposed point. */
  report(score: number): void;
  readonly best: { point: Float64Array; score: number } | null;
}

export function flow2(start: Float64Array, rng: Random, options: { step?: number; minStep?: number } = {}): Flow2 {
  const d = start.length;
  const step0 = options.step ?? 0.1 * Math.sqrt(d);
  const minStep = options.minStep ?? 0.002 * Math.sqrt(d);
  const patience = Math.min(2 ** Math.max(0, d - 1), 2 * d + 2);
  let incumbent: Float64Array = start.slice();
  let incumbentScore = Number.NaN;
  let best: { point: Float64Array; score: number } | null = null;
  let step = step0;
  let dir: Float64Array | null = null;
  let sign = 1;
  let failures = 0;
  let pending: Float64Array | null = null as Float64Array | null;
  let first = true;

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
    propose() {
      if (first) return (pending = incumbent.slice());
      // A fresh direction, unless the last step along +u failed and −u is next.
      if (sign === 1 || dir === null) {
        dir = randomDirection();
        sign = 1;
      }
      const u = dir;
      pending = clamp(incumbent.map((x, i) => x + sign * step * u[i]!));
      return pending.slice();
    },
    report(score) {
      const point = pending!;
      pending = null;
      if (first) {
        first = false;
        incumbentScore = score;
        if (!Number.isNaN(score) && (best === null || score > best.score)) best = { point, score };
        return;
      }
      const improved = !Number.isNaN(score) && (Number.isNaN(incumbentScore) || score > incumbentScore);
      if (!Number.isNaN(score) && (best === null || score > best.score)) best = { point, score };
      if (improved) {
        incumbent = point;
        incumbentScore = score;
        failures = 0;
        dir = null;
        sign = 1;
        return;
      }
      if (sign === 1) {
        sign = -1; // try the opposite direction next
        return;
      }
      sign = 1;
      dir = null;
      if (++failures >= patience) {
        failures = 0;
        step /= 2;
        if (step < minStep) {
          // Converged locally: restart near the incumbent with a fresh step.
          step = step0;
          incumbent = clamp(incumbent.map((x) => x + rng.normal() * step0));
          incumbentScore = Number.NaN;
          first = true;
        }
      }
    },
  };
}
