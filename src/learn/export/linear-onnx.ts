import { badInput } from '../../util/fathom-error.js';
import type { TaskKind } from '../dataset.js';
import { encodeOnnxModel, ONNX_FLOAT, ONNX_INT64, type OnnxNode } from './onnx-proto.js';

export interface LinearOnnxSpec {
  task: TaskKind;
  /**
   * One row of weights per output over the input columns: regression and binary (the positive
   * class's logit) one row, multiclass one row per class.
   */
  coefficients: ReadonlyArray<ReadonlyArray<number>>;
  /** One per coefficient row. */
  intercepts: readonly number[];
  /** Names of the input columns, recorded in the model's metadata. */
  inputNames?: readonly string[];
  /** Class labels, recorded in the metadata (outputs use class indexes). */
  classes?: readonly string[];
}

/**
 * A linear model as ONNX: ai.onnx.ml LinearClassifier (LOGISTIC for binary, SOFTMAX for
 * multiclass) or LinearRegressor. Input `input`: float32 `[N, columns]`, the design matrix
 * the coefficients apply to (already standardised and one-hot encoded by the caller).
 * Outputs as exportGbdtOnnx: `label` + `probabilities`, or `variable`.
 */
export function exportLinearOnnx(spec: LinearOnnxSpec): Uint8Array {
  const rows = spec.coefficients.length;
  const F = spec.coefficients[0]?.length ?? 0;
  const wantRows = spec.task === 'multiclass' ? Math.max(rows, 3) : 1;
  if (rows !== wantRows || F === 0) {
    throw badInput(
      `a ${spec.task} linear model needs ${spec.task === 'multiclass' ? 'one coefficient row per class (3 or more)' : 'exactly one coefficient row'}, got ${rows} rows of ${F}`,
      'pass coefficients shaped [outputs][columns]',
    );
  }
  if (spec.coefficients.some((r) => r.length !== F) || spec.intercepts.length !== rows) {
    throw badInput(
      `coefficient rows must all have ${F} values and there must be ${rows} intercepts`,
      'pass coefficients shaped [outputs][columns] and one intercept per row',
    );
  }
  if (spec.inputNames !== undefined && spec.inputNames.length !== F) {
    throw badInput(
      `${spec.inputNames.length} input names for ${F} coefficient columns`,
      'name every input column once',
    );
  }
  const flat = spec.coefficients.flatMap((r) => [...r]);
  const classes = spec.task === 'binary' ? 2 : rows;
  const node: OnnxNode =
    spec.task === 'regression'
      ? {
          opType: 'LinearRegressor',
          domain: 'ai.onnx.ml',
          name: 'linear',
          inputs: ['input'],
          outputs: ['variable'],
          attributes: [
            { name: 'coefficients', type: 'FLOATS', floats: flat },
            { name: 'intercepts', type: 'FLOATS', floats: [...spec.intercepts] },
            { name: 'targets', type: 'INT', i: 1 },
            { name: 'post_transform', type: 'STRING', s: 'NONE' },
          ],
        }
      : {
          opType: 'LinearClassifier',
          domain: 'ai.onnx.ml',
          name: 'linear',
          inputs: ['input'],
          outputs: ['label', 'probabilities'],
          attributes: [
            { name: 'coefficients', type: 'FLOATS', floats: flat },
            { name: 'intercepts', type: 'FLOATS', floats: [...spec.intercepts] },
            { name: 'classlabels_ints', type: 'INTS', ints: Array.from({ length: classes }, (_, i) => i) },
            { name: 'post_transform', type: 'STRING', s: spec.task === 'binary' ? 'LOGISTIC' : 'SOFTMAX' },
            { name: 'multi_class', type: 'INT', i: 0 },
          ],
        };
  return encodeOnnxModel({
    name: 'fathom_linear',
    doc: `Fathom linear model (${spec.task}).`,
    nodes: [node],
    inputs: [{ name: 'input', elemType: ONNX_FLOAT, shape: ['N', F] }],
    outputs:
      spec.task === 'regression'
        ? [{ name: 'variable', elemType: ONNX_FLOAT, shape: ['N', 1] }]
        : [
            { name: 'label', elemType: ONNX_INT64, shape: ['N'] },
            { name: 'probabilities', elemType: ONNX_FLOAT, shape: ['N', classes] },
          ],
    metadata: { input_names: JSON.stringify(spec.inputNames ?? null), classes: JSON.stringify(spec.classes ?? null) },
  });
}
