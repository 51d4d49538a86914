import { FathomError } from '../util/fathom-error.js';
import { exportGbdtOnnx, exportLinearOnnx } from '../learn/export/index.js';
import { LinearModel } from '../learn/linear/index.js';
import type { GbdtModel } from '../learn/gbdt/index.js';
import type { FathomModel } from './fathom-model.js';

export interface OnnxExport {
  readonly bytes: Uint8Array;
  readonly family: 'gbdt' | 'linear';
  /** Columns of the float32 `input` tensor, in order, and what goes in each. */
  readonly inputColumns: readonly string[];
  readonly inputNote: string;
}

/**
 * ONNX for the chosen model when it is one GBDT or one linear model (an ensemble has no single
 * ONNX operator; it stays in our JSON format). A linear model's coefficients are folded into
 * original units, so its input is the raw number per numeric column (the training mean where
 * missing, as recorded in the model), a 0/1 "missing" indicator where the model has one, and
 * 0/1 per one-hot level.
 */
export function exportModelOnnx(model: FathomModel): OnnxExport {
  const single = model.single();
  if (!single) {
    const parts = model.members.reduce((s, m) => s + m.models.length, 0);
    throw new FathomError(
      'failed',
      `ONNX export needs a single model; the chosen model blends ${parts} models (${model.members.length} ensemble members)`,
      {
        hint: "The model is saved in Fathom's JSON format. For ONNX, train one family (--models gbdt or --models linear) with a budget that leaves time to refit.",
      },
    );
  }
  if (single instanceof LinearModel) {
    const j = single.json;
    const K = j.intercepts.length;
    const sd = new Map<string, { mean: number; sd: number }>(j.encoder.numeric.map((f) => [f.name, f]));
    const coefficients = Array.from({ length: K }, (_, c) =>
      j.encoder.columns.map((col, i) => {
        const s = sd.get(col);
        return s && s.sd > 0 ? j.weights[i * K + c]! / s.sd : j.weights[i * K + c]!;
      }),
    );
    const intercepts = Array.from({ length: K }, (_, c) =>
      j.encoder.columns.reduce((b, col, i) => {
        const s = sd.get(col);
        return s && s.sd > 0 ? b - (j.weights[i * K + c]! * s.mean) / s.sd : b;
      }, j.intercepts[c]!),
    );
    return {
      bytes: exportLinearOnnx({
        task: single.task.kind,
        coefficients,
        intercepts,
        inputNames: j.encoder.columns,
        ...(single.task.classes ? { classes: single.task.classes } : {}),
      }),
      family: 'linear',
      inputColumns: j.encoder.columns,
      inputNote:
        'raw value per numeric column (training mean where missing), 0/1 per "(missing)" indicator and per one-hot level',
    };
  }
  if (single.family === 'gbdt') {
    const g = single as GbdtModel;
    return {
      bytes: exportGbdtOnnx(g),
      family: 'gbdt',
      inputColumns: g.featureNames,
      inputNote:
        "raw value per numeric column, category index for categoricals (order of the model's categories), NaN where missing",
    };
  }
  throw new FathomError('failed', `ONNX export does not support model family ${single.family}`);
}
