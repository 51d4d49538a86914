import type { Dataset, Model, Predictions, Task } from '../dataset.js';
import type { GbdtParams } from './gbdt-params.js';
import type { GbdtTree } from './gbdt-tree.js';
import { alignFeatures, categoryBinLookup, MISSING_BIN, type FeatureBins } from './feature-bins.js';
import { forestPredictor } from './predict-forest.js';
import { transformScores } from './objective.js';
import { explainTrees, type GbdtExplanation } from './tree-shap.js';
import { gbdtToJSON } from './gbdt-json.js';

export type { GbdtExplanation } from './tree-shap.js';

/** Everything a trained GBDT is; the JSON format is this, versioned. */
export interface GbdtModelState {
  readonly task: Task;
  readonly objective: GbdtParams['objective'];
  readonly featureNames: readonly string[];
  readonly featureBins: readonly FeatureBins[];
  /** Starting raw score per output (LightGBM's boost_from_average). */
  readonly initScores: readonly number[];
  /** Trees round by round; within a round one per output (class). */
  readonly trees: readonly GbdtTree[];
  /** Rounds kept: the best validation round with early stopping, else every round. */
  readonly bestIteration: number;
  readonly params: Readonly<GbdtParams>;
}

export interface GbdtModel extends Model {
  readonly family: 'gbdt';
  readonly objective: GbdtParams['objective'];
  readonly trees: readonly GbdtTree[];
  readonly bestIteration: number;
  /** Trees per round: class count for multiclass, else 1. */
  readonly outputs: number;
  readonly state: GbdtModelState;
  /**
   * Raw scores (log-odds / softmax inputs / values), row-major `[row][output]`. `threads`
   * defaults to every core for large batches; the scores do not depend on it.
   */
  predictRaw(data: Dataset, options?: { threads?: number }): Float64Array;
  predict(data: Dataset, options?: { threads?: number }): Predictions;
  /**
   * Exact path-dependent TreeSHAP contributions to the raw score, for every row or one `row`.
   * For each row and output, bias + sum of contributions = predictRaw's value.
   */
  explain(data: Dataset, row?: number): GbdtExplanation;
  /** Per feature: total split gain or number of splits, in featureNames order. */
  importance(kind: 'gain' | 'split'): Array<{ feature: string; value: number }>;
}

export function createGbdtModel(state: GbdtModelState): GbdtModel {
  const outputs = state.initScores.length;
  const predictor = forestPredictor(state.trees, outputs, state.featureNames.length, state.initScores);
  const columnsOf = (data: Dataset): Float64Array[] => rawColumns(data, state.featureNames, state.featureBins);
  const model: GbdtModel = {
    family: 'gbdt',
    task: state.task,
    objective: state.objective,
    featureNames: state.featureNames,
    trees: state.trees,
    bestIteration: state.bestIteration,
    outputs,
    state,
    predictRaw(data, options) {
      return predictor.predict(columnsOf(data), data.rows, options?.threads);
    },
    predict(data, options): Predictions {
      const raw = model.predictRaw(data, options);
      return { task: state.task, rows: data.rows, values: transformScores(state.objective, outputs, raw, data.rows) };
    },
    explain(data, row) {
      return explainTrees(state, columnsOf(data), data.rows, row);
    },
    importance(kind) {
      const value = new Float64Array(state.featureNames.length);
      for (const t of state.trees) {
        for (let j = 0; j < t.splitFeature.length; j++) value[t.splitFeature[j]!]! += kind === 'gain' ? t.gain[j]! : 1;
      }
      return state.featureNames.map((feature, f) => ({ feature, value: value[f]! }));
    },
    toJSON() {
      return gbdtToJSON(state);
    },
  };
  return model;
}

/** Feature columns in model order: numeric values as they are, categoricals as bin numbers. */
export function rawColumns(data: Dataset, names: readonly string[], bins: readonly FeatureBins[]): Float64Array[] {
  return alignFeatures(data, names, bins).map((feature, f) => {
    if (feature.kind === 'numeric') return feature.values;
    const lookup = categoryBinLookup(feature.categories, bins[f] as FeatureBins & { kind: 'categorical' });
    const out = new Float64Array(data.rows);
    for (let i = 0; i < out.length; i++) {
      const c = feature.codes[i]!;
      out[i] = c < 0 || c >= lookup.length ? MISSING_BIN : lookup[c]!;
    }
    return out;
  });
}
