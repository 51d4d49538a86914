import { Worker } from 'node:worker_threads';
import type { BinnedForest } from './binned-forest.js';
import { binRows, scoreBinnedRows } from './predict-binned.js';

/** Control words (Int32) shared with the prediction workers. */
export const NEXT_CHUNK = 0;
export const BINNED_CHUNKS = 1;
export const DONE_CHUNKS = 2;
export const FAILED = 3;
const CONTROL_WORDS = 4;

/** Rows per chunk: small enough that the threads finish together, large enough to amortise. */
export const PREDICT_CHUNK = 16_384;

export interface PredictWorkerData {
  forest: BinnedForest;
  bins: SharedArrayBuffer;
  out: SharedArrayBuffer;
  control: SharedArrayBuffer;
  rows: number;
  chunk: number;
  init: number[];
  treeCount: number;
}

/**
 * Raw scores over `threads` threads: this thread bins the rows chunk by chunk into shared
 * memory (the raw columns are not shared, so only it can read them) and publishes each chunk;
 * every thread, this one once binning is done, takes the next unscored chunk. Each row is
 * scored whole by one thread in tree order, so the result is bit-identical to one thread's.
 *
 * Synchronous like predictRaw: this thread blocks on Atomics until the workers finish. A
 * worker that fails or stalls costs time, not correctness: every row is then rescored here
 * into memory no worker can reach.
 */
export function predictBinnedParallel(
  forest: BinnedForest,
  columns: readonly Float64Array[],
  rows: number,
  init: readonly number[],
  treeCount: number,
  threads: number,
  chunk = PREDICT_CHUNK,
): Float64Array {
  const U = forest.used.length;
  const K = forest.outputs;
  const chunks = Math.ceil(rows / chunk);
  const bins = new Uint8Array(new SharedArrayBuffer(Math.max(1, rows * U)));
  const out = new Float64Array(new SharedArrayBuffer(8 * rows * K));
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
  const data: PredictWorkerData = {
    forest,
    bins: bins.buffer as SharedArrayBuffer,
    out: out.buffer as SharedArrayBuffer,
    control: control.buffer as SharedArrayBuffer,
    rows,
    chunk,
    init: [...init],
    treeCount,
  };
  for (const worker of pooledWorkers(threads - 1)) worker.postMessage(data);
  for (let c = 0; c < chunks; c++) {
    binRows(forest, columns, c * chunk, Math.min(rows, (c + 1) * chunk), bins);
    Atomics.store(control, BINNED_CHUNKS, c + 1);
    Atomics.notify(control, BINNED_CHUNKS);
  }
  for (;;) {
    const c = Atomics.add(control, NEXT_CHUNK, 1);
    if (c >= chunks) break;
    scoreBinnedRows(forest, bins, c * chunk, Math.min(rows, (c + 1) * chunk), init, treeCount, out);
    Atomics.add(control, DONE_CHUNKS, 1);
  }
  // A chunk takes about 10 ns per row and tree; a worker 100x slower than that has hung.
  const stallMs = STALL_MS + chunk * treeCount * 1e-3;
  let result: Float64Array | null = null;
  for (;;) {
    const done = Atomics.load(control, DONE_CHUNKS);
    if (done >= chunks) break;
    const stalled =
      Atomics.load(control, FAILED) !== 0 ||
      (Atomics.wait(control, DONE_CHUNKS, done, stallMs) === 'timed-out' &&
        Atomics.load(control, DONE_CHUNKS) === done);
    if (stalled) {
      result = new Float64Array(rows * K);
      scoreBinnedRows(forest, bins, 0, rows, init, treeCount, result);
      break;
    }
  }
  if (result !== null) dropPool();
  return result ?? out.slice();
}

/**
 * Prediction workers are kept between calls (unref'd, so they never hold the process open): a
 * fresh worker cost ~150 ms of start-up and cold code per call here, an eighth of a 1M-row
 * prediction. Each takes jobs (PredictWorkerData) from its message queue.
 */
const pool: Array<{ worker: Worker; alive: boolean }> = [];

function pooledWorkers(count: number): Worker[] {
  for (let i = pool.length - 1; i >= 0; i--) if (!pool[i]!.alive) pool.splice(i, 1);
  while (pool.length < count) {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./predict-worker.js', import.meta.url));
    } catch {
      break; // No thread to be had: this thread takes the chunks.
    }
    const entry = { worker, alive: true };
    // A worker that throws reports through FAILED; its error event must not crash the process.
    worker.on('error', () => (entry.alive = false));
    worker.on('exit', () => (entry.alive = false));
    worker.unref();
    pool.push(entry);
  }
  return pool.slice(0, count).map((e) => e.worker);
}

/** After a failure or a stall: a worker may still be stuck in the old job, so start afresh. */
function dropPool(): void {
  for (const e of pool.splice(0)) void e.worker.terminate().catch(() => {});
}

/** A worker that finishes no chunk for this long (plus the chunk's expected time) is given up on. */
const STALL_MS = 30_000;
