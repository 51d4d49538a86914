import { availableParallelism } from 'node:os';
import type { GbdtTree } from './gbdt-tree.js';
import { binForest, type BinnedForest } from './binned-forest.js';
import { flattenForest, predictRaw, type FlatForest } from './flat-forest.js';
import { binRows, scoreBinnedRows } from './predict-binned.js';
import { predictBinnedParallel, PREDICT_CHUNK } from './parallel-predict.js';

/** Row × tree visits from which a default prediction uses worker threads (~200k rows × 100 trees). */
const PARALLEL_WORK = 20_000_000;

export interface ForestPredictor {
  /**
   * Raw scores, row-major `[row][output]`. `columns` as rawColumns gives them. `threads`
   * defaults to every core for large batches, else 1; the result does not depend on it.
   */
  predict(columns: readonly Float64Array[], rows: number, threads?: number): Float64Array;
}

/**
 * Prediction for a trained forest: on bins (binned-forest.ts) when the trees allow it, which
 * is always for trees this library trains, else on raw values. Both give the same bits.
 */
export function forestPredictor(
  trees: readonly GbdtTree[],
  outputs: number,
  features: number,
  init: readonly number[],
): ForestPredictor {
  let binned: BinnedForest | null | undefined;
  let flat: FlatForest | undefined;
  return {
    predict(columns, rows, threads) {
      binned ??= binForest(trees, outputs, features);
      if (binned === null)
        return predictRaw((flat ??= flattenForest(trees, outputs)), columns, rows, init, trees.length);
      // By default no more threads than a few chunks each: a worker costs ~50 ms to start.
      const auto =
        rows * trees.length >= PARALLEL_WORK
          ? Math.min(availableParallelism(), Math.floor(rows / (4 * PREDICT_CHUNK)))
          : 1;
      const t = Math.max(1, Math.floor(threads ?? auto));
      if (t > 1 && rows > PREDICT_CHUNK) return predictBinnedParallel(binned, columns, rows, init, trees.length, t);
      const bins = new Uint8Array(rows * binned.used.length);
      binRows(binned, columns, 0, rows, bins);
      const out = new Float64Array(rows * outputs);
      scoreBinnedRows(binned, bins, 0, rows, init, trees.length, out);
      return out;
    },
  };
}
