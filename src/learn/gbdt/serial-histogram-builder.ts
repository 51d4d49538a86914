import type { GrowBuffers, HistogramBuilder } from './grow-tree.js';
import { buildFeatureHistogram, HIST_STRIDE } from './histogram-kernel.js';

/** Builds every histogram on the calling thread (threads: 1; no workers are spawned). */
export function serialHistogramBuilder(buf: GrowBuffers): HistogramBuilder {
  const n = buf.rows;
  const F = buf.features;
  const columns = Array.from({ length: F }, (_, f) => buf.bins.subarray(f * n, (f + 1) * n));
  return {
    build(begin, end, slot, features) {
      for (let j = 0; j < features.length; j++) {
        const f = features[j]!;
        buildFeatureHistogram(columns[f]!, buf.order, begin, end, buf.og, buf.oh, buf.hist, (slot * F + f) * HIST_STRIDE);
      }
    },
    close: async () => {},
  };
}
