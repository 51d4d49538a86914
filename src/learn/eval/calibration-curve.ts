/** One bin of a reliability diagram. */
export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability in the bin. */
  readonly meanPredicted: number;
  /** Share of positives in the bin. */
  readonly observedRate: number;
}

/**
 * A binned calibration curve for binary predictions: `bins` equal-width bins over [0, 1]
 * (the last one closed). Empty bins are left out, as scikit-learn's `calibration_curve` does.
 */
export function calibrationCurve(
  target: Float64Array,
  prob: Float64Array,
  bins = 10,
  rows?: ArrayLike<number>,
): CalibrationBin[] {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const n = rows ? rows.length : target.length;
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j]! : j;
    const p = prob[i]!;
    if (Number.isNaN(p)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b]!++;
    sumP[b]! += p;
    sumY[b]! += target[i] === 1 ? 1 : 0;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    out.push({
      lower: b / bins,
      upper: (b + 1) / bins,
      count: count[b]!,
      meanPredicted: sumP[b]! / count[b]!,
      observedRate: sumY[b]! / count[b]!,
    });
  }
  return out;
}
