import { parentPort } from 'node:worker_threads';
import { scoreBinnedRows } from './predict-binned.js';
import { BINNED_CHUNKS, DONE_CHUNKS, FAILED, NEXT_CHUNK, type PredictWorkerData } from './parallel-predict.js';

// One pooled prediction worker: for each job, takes chunks until none is left, waiting for
// each to be binned.
parentPort!.on('message', (d: PredictWorkerData) => {
  const control = new Int32Array(d.control);
  const bins = new Uint8Array(d.bins);
  const out = new Float64Array(d.out);
  const chunks = Math.ceil(d.rows / d.chunk);
  try {
    for (;;) {
      const c = Atomics.add(control, NEXT_CHUNK, 1);
      if (c >= chunks) break;
      for (;;) {
        const binned = Atomics.load(control, BINNED_CHUNKS);
        if (binned > c) break;
        Atomics.wait(control, BINNED_CHUNKS, binned);
      }
      scoreBinnedRows(d.forest, bins, c * d.chunk, Math.min(d.rows, (c + 1) * d.chunk), d.init, d.treeCount, out);
      Atomics.add(control, DONE_CHUNKS, 1);
      Atomics.notify(control, DONE_CHUNKS);
    }
  } catch {
    Atomics.store(control, FAILED, 1);
    Atomics.notify(control, DONE_CHUNKS);
  }
});
