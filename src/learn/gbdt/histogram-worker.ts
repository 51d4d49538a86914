import { parentPort, workerData } from 'node:worker_threads';
import { buildHistogramShare, HIST_STRIDE } from './histogram-kernel.js';
import {
  BEGIN,
  COUNT,
  CTRL_WORDS,
  DONE,
  END,
  EXIT,
  FAILED,
  SEQ,
  SLOT,
  type HistogramWorkerData,
} from './parallel-histogram-builder.js';

// One histogram worker: waits on its control word, builds the features it was dealt, reports.
const d = workerData as HistogramWorkerData;
const control = new Int32Array(d.control);
const featureList = new Int32Array(d.featureList);
const bins = new Uint8Array(d.bins);
const order = new Uint32Array(d.order);
const gh = new Float64Array(d.gh);
const hist = new Float64Array(d.hist);
const F = d.features;
const mine = featureList.subarray(d.index * F, (d.index + 1) * F);
const c = d.index * CTRL_WORDS;
let last = 0;
parentPort!.postMessage('ready');
for (;;) {
  Atomics.wait(control, c + SEQ, last);
  const seq = Atomics.load(control, c + SEQ);
  if (seq === EXIT) break;
  if (seq === last) continue;
  last = seq;
  try {
    const begin = control[c + BEGIN]!;
    const end = control[c + END]!;
    const slot = control[c + SLOT]!;
    const count = control[c + COUNT]!;
    buildHistogramShare(bins, F, order, begin, end, gh, hist, slot * F * HIST_STRIDE, mine, count);
    Atomics.store(control, c + DONE, seq);
  } catch {
    Atomics.store(control, c + DONE, FAILED);
  }
  Atomics.notify(control, c + DONE);
}
parentPort!.close();
