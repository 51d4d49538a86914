import type { GrowBuffers, HistogramBuilder } from './grow-tree.js';
import { buildHistograms, HIST_STRIDE } from './histogram-kernel.js';

/** Builds every histogram on the calling thread (threads: 1; no workers are spawned). */
export function serialHistogramBuilder(buf: GrowBuffers): HistogramBuilder {
  const F = buf.features;
  return {
    build(begin, end, slot, features) {
      buildHistograms(
        buf.bins,
        F,
        buf.order,
        begin,
        end,
        buf.gh,
        buf.hist,
        slot * F * HIST_STRIDE,
        features,
        features.length,
      );
    },
    close: async () => {},
  };
}
