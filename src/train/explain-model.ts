import type { Dataset, Model } from '../learn/dataset.js';
import { LinearModel } from '../learn/linear/index.js';
import type { GbdtModel } from '../learn/gbdt/index.js';
import type { FathomModel } from './fathom-model.js';

/** Per-prediction explanation of a trained model, on the link scale (log-odds, margin, value). */
export interface ModelExplanation {
  readonly features: readonly string[];
  readonly outputs: number;
  readonly rows: number;
  /** `contributions[(row * outputs + k) * features + f]`. */
  readonly contributions: Float64Array;
  /** `bias[row * outputs + k]`. */
  readonly bias: Float64Array;
}

/**
 * SHAP values of a trained model: exact TreeSHAP for GBDT members, exact linear SHAP for
 * linear ones, combined with the ensemble weights. For one model, contributions plus bias
 * equal its link-scale output. An ensemble averages probabilities, not margins, so its
 * combined explanation adds up to the weighted mean of the members' margins instead: close,
 * and exact per member.
 */
export function explainModel(model: FathomModel, data: Dataset): ModelExplanation {
  const features = [...model.featureNames];
  const F = features.length;
  const K = model.task.kind === 'multiclass' ? model.task.classes!.length : 1;
  const contributions = new Float64Array(data.rows * K * F);
  const bias = new Float64Array(data.rows * K);
  for (const m of model.members) {
    for (const one of m.models) {
      const e = explainOne(one, data);
      const w = m.weight / m.models.length;
      const at = e.features.map((f) => features.indexOf(f));
      for (let r = 0; r < data.rows; r++) {
        for (let k = 0; k < K; k++) {
          bias[r * K + k]! += w * e.bias[r * K + k]!;
          for (let f = 0; f < e.features.length; f++)
            contributions[(r * K + k) * F + at[f]!]! += w * e.contributions[(r * K + k) * e.features.length + f]!;
        }
      }
    }
  }
  return { features, outputs: K, rows: data.rows, contributions, bias };
}

function explainOne(model: Model, data: Dataset): ModelExplanation {
  if (model instanceof LinearModel) return model.explain(data);
  if (model.family === 'gbdt') return (model as GbdtModel).explain(data);
  throw new Error(`no explanation for model family ${model.family}`);
}

/** Mean |SHAP| per feature over the rows (all outputs): a global importance from explanations. */
export function meanAbsoluteShap(e: ModelExplanation): Array<{ feature: string; value: number }> {
  const F = e.features.length;
  const sums = new Float64Array(F);
  for (let i = 0; i < e.rows * e.outputs; i++)
    for (let f = 0; f < F; f++) sums[f]! += Math.abs(e.contributions[i * F + f]!);
  return e.features
    .map((feature, f) => ({ feature, value: sums[f]! / Math.max(1, e.rows) }))
    .sort((a, b) => b.value - a.value);
}

/**
 * Split-gain importance of the GBDT members, each model's gains normalised to sum to 1 and
 * averaged with the ensemble weights (linear members have no gains; null when there is no GBDT).
 */
export function gbdtGainImportance(model: FathomModel): Array<{ feature: string; value: number }> | null {
  const total = new Map<string, number>();
  let weight = 0;
  for (const m of model.members) {
    for (const one of m.models) {
      if (one.family !== 'gbdt') continue;
      const gains = (one as GbdtModel).importance('gain');
      const sum = gains.reduce((s, g) => s + g.value, 0) || 1;
      const w = m.weight / m.models.length;
      weight += w;
      for (const g of gains) total.set(g.feature, (total.get(g.feature) ?? 0) + (w * g.value) / sum);
    }
  }
  if (weight === 0) return null;
  return [...total]
    .map(([feature, v]) => ({ feature, value: v / weight }))
    .sort((a, b) => b.value - a.value || a.feature.localeCompare(b.feature));
}
