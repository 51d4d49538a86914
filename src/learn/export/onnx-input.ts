import type { Dataset } from '../dataset.js';
import type { GbdtModel } from '../gbdt/index.js';
import { rawColumns } from '../gbdt/gbdt-model.js';
import { MISSING_BIN } from '../gbdt/feature-bins.js';

/**
 * The float32 `[rows, features]` matrix an exported GBDT takes (see exportGbdtOnnx): numeric
 * values as they are, categoricals as the model's category index, NaN for missing.
 */
export function gbdtOnnxInput(model: GbdtModel, data: Dataset): Float32Array {
  const columns = rawColumns(data, model.featureNames, model.state.featureBins);
  const F = columns.length;
  const out = new Float32Array(data.rows * F);
  columns.forEach((col, f) => {
    const categorical = model.state.featureBins[f]!.kind === 'categorical';
    for (let i = 0; i < data.rows; i++) {
      const v = col[i]!;
      out[i * F + f] = categorical && v === MISSING_BIN ? NaN : v;
    }
  });
  return out;
}
