import { Worker } from 'node:worker_threads';
import { FathomError } from '../../util/fathom-error.js';
import type { GrowBuffers, HistogramBuilder } from './grow-tree.js';
import { buildHistogramShare, HIST_STRIDE } from './histogram-kernel.js';

/**
 * Control block layout per worker (Int32 words): the command sequence number the worker waits
 * on, the command (begin, end, slot, feature count), and the sequence it last finished (or
 * FAILED). Features to build follow in a per-worker list.
 */
export const CTRL_WORDS = 8;
export const SEQ = 0;
export const BEGIN = 1;
export const END = 2;
export const SLOT = 3;
export const COUNT = 4;
export const DONE = 5;
export const FAILED = -2;
export const EXIT = -1;

export interface HistogramWorkerData {
  rows: number;
  features: number;
  bins: SharedArrayBuffer;
  order: SharedArrayBuffer;
  gh: SharedArrayBuffer;
  hist: SharedArrayBuffer;
  control: SharedArrayBuffer;
  featureList: SharedArrayBuffer;
  index: number;
}

/**
 * Histograms built by this thread and `threads - 1` workers over SharedArrayBuffers: bins,
 * row order and ordered gradients are shared, not copied. Features are dealt round-robin,
 * each summed whole by one thread, so results equal the serial builder's bit for bit.
 * Commands pass through Atomics (a postMessage round trip per leaf would cost more than a
 * small leaf's histograms); the calling thread blocks until the workers finish.
 */
export async function parallelHistogramBuilder(buf: GrowBuffers, threads: number): Promise<HistogramBuilder> {
  const F = buf.features;
  const n = buf.rows;
  const helpers = threads - 1;
  const control = new Int32Array(new SharedArrayBuffer(4 * CTRL_WORDS * helpers));
  const featureList = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, F) * helpers));
  const sab = (a: ArrayBufferView): SharedArrayBuffer => {
    if (!(a.buffer instanceof SharedArrayBuffer)) throw new Error('parallel histograms need shared buffers');
    return a.buffer;
  };
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  const exited: Promise<unknown>[] = [];
  for (let w = 0; w < helpers; w++) {
    const data: HistogramWorkerData = {
      rows: n,
      features: F,
      bins: sab(buf.bins),
      order: sab(buf.order),
      gh: sab(buf.gh),
      hist: sab(buf.hist),
      control: control.buffer as SharedArrayBuffer,
      featureList: featureList.buffer as SharedArrayBuffer,
      index: w,
    };
    const worker = new Worker(new URL('./histogram-worker.js', import.meta.url), { workerData: data });
    workers.push(worker);
    exited.push(new Promise((resolve) => worker.once('exit', resolve)));
    ready.push(
      new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }),
    );
  }
  await Promise.all(ready);
  const mine = new Int32Array(Math.max(1, F));
  let seq = 0;
  return {
    build(begin, end, slot, features) {
      seq++;
      let own = 0;
      const counts = new Int32Array(helpers);
      // Contiguous shares, not round-robin: a thread's features then sit side by side in each
      // row's bins and the kernel's no-indirection path applies.
      for (let j = 0; j < features.length; j++) {
        const t = Math.floor((j * threads) / features.length);
        if (t === 0) mine[own++] = features[j]!;
        else featureList[(t - 1) * F + counts[t - 1]!++] = features[j]!;
      }
      for (let w = 0; w < helpers; w++) {
        const c = w * CTRL_WORDS;
        control[c + BEGIN] = begin;
        control[c + END] = end;
        control[c + SLOT] = slot;
        control[c + COUNT] = counts[w]!;
        Atomics.store(control, c + SEQ, seq);
        Atomics.notify(control, c + SEQ);
      }
      buildHistogramShare(buf.bins, F, buf.order, begin, end, buf.gh, buf.hist, slot * F * HIST_STRIDE, mine, own);
      for (let w = 0; w < helpers; w++) {
        const c = w * CTRL_WORDS + DONE;
        for (;;) {
          const done = Atomics.load(control, c);
          if (done === seq) break;
          if (done === FAILED) throw new FathomError('failed', `histogram worker ${w} failed`);
          Atomics.wait(control, c, done);
        }
      }
    },
    async close() {
      for (let w = 0; w < helpers; w++) {
        Atomics.store(control, w * CTRL_WORDS + SEQ, EXIT);
        Atomics.notify(control, w * CTRL_WORDS + SEQ);
      }
      await Promise.all(exited);
    },
  };
}
