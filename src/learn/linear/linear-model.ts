import type { Dataset, LabelledDataset, Model, Predictions, Task } from '../dataset.js';
import { columnFeatures, encode, fitEncoder, type EncoderOptions, type LinearEncoder } from './linear-encoder.js';
import { fitPenalised, type LinearLoss } from './fit-linear.js';

export interface LinearParams {
  /** Overall penalty strength λ (scikit-learn's `alpha`; 1/(n·C) for its logistic C). */
  readonly lambda: number;
  /** 0 is L2 (ridge), 1 is L1 (lasso), in between elastic net. */
  readonly l1Ratio: number;
  readonly maxIter: number;
  readonly tol: number;
  readonly encoder?: EncoderOptions;
}

export const DEFAULT_LINEAR_PARAMS: LinearParams = { lambda: 1e-3, l1Ratio: 0, maxIter: 1000, tol: 1e-6 };

/** The JSON form of a linear model (`toJSON` / `linearFromJSON`). */
export interface LinearModelJson {
  readonly format: 'fathom.linear';
  readonly version: 1;
  readonly task: Task;
  readonly encoder: LinearEncoder;
  /** Standardised-scale coefficients, design columns × K row-major (K = classes for multiclass, else 1). */
  readonly weights: number[];
  readonly intercepts: number[];
  readonly params: LinearParams;
  readonly iterations: number;
  readonly converged: boolean;
  /** Training mean of each design column: the baseline of `explain`. */
  readonly columnMeans?: number[];
}

/** Per-feature contributions on the link scale (log-odds, softmax margin or value). */
export interface LinearExplanation {
  readonly features: readonly string[];
  readonly outputs: number;
  readonly rows: number;
  /** `contributions[(row * outputs + k) * features + f]`, the layout of GBDT explanations. */
  readonly contributions: Float64Array;
  /** `bias[row * outputs + k]`: the prediction at the training means (the same for every row). */
  readonly bias: Float64Array;
}

export interface Coefficient {
  /** Design column: a feature, `feature (missing)`, or `feature=level`. */
  readonly term: string;
  /** For multiclass: the class this coefficient pushes towards. */
  readonly className?: string;
  /** Effect of one standard deviation (numeric) or of the level (one-hot), on the link scale. */
  readonly standardised: number;
  /** Effect per unit of the feature in its own units (equal to `standardised` for indicators). */
  readonly perUnit: number;
}

/** A fitted linear or logistic model; a thin wrapper over its JSON. */
export class LinearModel implements Model {
  readonly family = 'linear' as const;
  readonly task: Task;
  readonly featureNames: readonly string[];
  readonly iterations: number;
  readonly converged: boolean;

  constructor(readonly json: LinearModelJson) {
    this.task = json.task;
    this.featureNames = [...json.encoder.numeric.map((f) => f.name), ...json.encoder.categorical.map((f) => f.name)];
    this.iterations = json.iterations;
    this.converged = json.converged;
  }

  predict(data: Dataset): Predictions {
    return { task: this.task, rows: data.rows, values: predictLinear(this.json, data) };
  }

  toJSON(): LinearModelJson {
    return this.json;
  }

  /** Every coefficient, largest standardised effect first. */
  coefficients(): Coefficient[] {
    const { encoder, weights, task } = this.json;
    const K = this.json.intercepts.length;
    const out: Coefficient[] = [];
    const sdOf = new Map(encoder.numeric.map((f) => [f.name, f.sd]));
    encoder.columns.forEach((term, j) => {
      const sd = sdOf.get(term);
      for (let c = 0; c < K; c++) {
        const w = weights[j * K + c]!;
        if (w === 0) continue;
        out.push({
          term,
          ...(K > 1 ? { className: task.classes![c]! } : {}),
          standardised: w,
          perUnit: sd !== undefined && sd > 0 ? w / sd : w,
        });
      }
    });
    return out.sort((a, b) => Math.abs(b.standardised) - Math.abs(a.standardised) || a.term.localeCompare(b.term));
  }

  /**
   * Exact SHAP values of a linear model with independent features: coefficient × (encoded
   * value − its training mean), summed over a feature's design columns (a one-hot group, a
   * missing indicator). Contributions plus bias equal the link-scale prediction.
   */
  explain(data: Dataset): LinearExplanation {
    const { encoder, weights, intercepts } = this.json;
    const K = intercepts.length;
    const p = encoder.columns.length;
    const means = this.json.columnMeans ?? new Array<number>(p).fill(0);
    const owner = columnFeatures(encoder);
    const features = [...this.featureNames];
    const index = new Map(features.map((f, i) => [f, i]));
    const x = encode(encoder, data);
    const F = features.length;
    const contributions = new Float64Array(data.rows * F * K);
    for (let i = 0; i < data.rows; i++) {
      for (let j = 0; j < p; j++) {
        const f = index.get(owner[j]!)!;
        const d = x[i * p + j]! - means[j]!;
        for (let c = 0; c < K; c++) contributions[(i * K + c) * F + f]! += weights[j * K + c]! * d;
      }
    }
    const atMeans = intercepts.map((b, c) => means.reduce((s, m, j) => s + m * weights[j * K + c]!, b));
    const bias = Float64Array.from({ length: data.rows * K }, (_, r) => atMeans[r % K]!);
    return { features, outputs: K, rows: data.rows, contributions, bias };
  }

  /** A readable summary: the largest coefficients, in original units. */
  describe(top = 10): string {
    const link = this.task.kind === 'regression' ? 'prediction' : 'log-odds';
    const lines = [
      `linear ${this.task.kind} model, ${this.json.encoder.columns.length} terms (λ=${this.json.params.lambda}, l1Ratio=${this.json.params.l1Ratio})`,
    ];
    for (const c of this.coefficients().slice(0, top)) {
      const cls = c.className !== undefined ? ` [class ${c.className}]` : '';
      lines.push(`  ${c.term}${cls}: ${fmt(c.perUnit)} ${link} per unit (${fmt(c.standardised)} per sd/level)`);
    }
    return lines.join('\n');
  }
}

const fmt = (v: number): string => (v >= 0 ? '+' : '') + v.toPrecision(4);

export function linearFromJSON(json: unknown): LinearModel {
  const j = json as LinearModelJson;
  if (!j || j.format !== 'fathom.linear' || j.version !== 1) throw new Error('not a fathom.linear model (version 1)');
  return new LinearModel(j);
}

function predictLinear(m: LinearModelJson, data: Dataset): Float64Array {
  const x = encode(m.encoder, data);
  const n = data.rows;
  const p = m.encoder.columns.length;
  const K = m.intercepts.length;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < K; c++) {
      let s = m.intercepts[c]!;
      for (let j = 0; j < p; j++) s += x[i * p + j]! * m.weights[j * K + c]!;
      out[i * K + c] = s;
    }
    if (m.task.kind === 'binary') out[i] = 1 / (1 + Math.exp(-out[i]!));
    else if (m.task.kind === 'multiclass') softmaxInPlace(out, i * K, K);
  }
  return out;
}

function softmaxInPlace(z: Float64Array, o: number, K: number): void {
  let m = -Infinity;
  for (let c = 0; c < K; c++) m = Math.max(m, z[o + c]!);
  let s = 0;
  for (let c = 0; c < K; c++) s += z[o + c] = Math.exp(z[o + c]! - m);
  for (let c = 0; c < K; c++) z[o + c]! /= s;
}

/**
 * Train a linear (regression), logistic (binary) or multinomial (multiclass) model on the
 * listed rows (all rows when omitted).
 */
export function trainLinear(
  data: LabelledDataset,
  params: Partial<LinearParams> = {},
  rows?: ArrayLike<number>,
): LinearModel {
  const full: LinearParams = { ...DEFAULT_LINEAR_PARAMS, ...params };
  const idx = rows ?? Int32Array.from({ length: data.rows }, (_, i) => i);
  const encoder = fitEncoder(data, idx, full.encoder);
  const x = encode(encoder, data, idx);
  const y = new Float64Array(idx.length);
  for (let j = 0; j < idx.length; j++) y[j] = data.target[idx[j]!]!;
  const loss: LinearLoss =
    data.task.kind === 'regression' ? 'squared' : data.task.kind === 'binary' ? 'logistic' : 'softmax';
  const k = data.task.kind === 'multiclass' ? data.task.classes!.length : 1;
  const fit = fitPenalised(x, idx.length, encoder.columns.length, y, loss, k, full);
  return new LinearModel({
    format: 'fathom.linear',
    version: 1,
    task: data.task,
    encoder,
    weights: Array.from(fit.weights),
    intercepts: Array.from(fit.intercepts),
    params: full,
    iterations: fit.iterations,
    converged: fit.converged,
    columnMeans: columnMeansOf(x, idx.length, encoder.columns.length),
  });
}

function columnMeansOf(x: Float64Array, n: number, p: number): number[] {
  const m = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) m[j]! += x[i * p + j]!;
  return m.map((v) => (n === 0 ? 0 : v / n));
}
