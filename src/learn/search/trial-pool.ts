import { Worker } from 'node:worker_threads';
import type { LabelledDataset } from '../dataset.js';
import type { Fold } from '../eval/splits.js';
import type { TrialRequest, TrialResult } from './trial-task.js';

export type TrialOutcome =
  | { readonly status: 'ok'; readonly result: TrialResult; readonly ms: number }
  | { readonly status: 'stopped'; readonly ms: number }
  | { readonly status: 'failed'; readonly error: string; readonly ms: number };

export interface TrialPool {
  /**
   * Run one trial in a worker thread. At `stopAt` (epoch ms) the worker is terminated and the
   * trial reported 'stopped': this is what makes the time budget hard, since a trial cannot be
   * trusted to check a clock itself.
   */
  run(req: TrialRequest, stopAt: number | null, options?: { respawn?: boolean }): Promise<TrialOutcome>;
  close(): Promise<void>;
}

/** `prewarm` starts the worker now, so its module loading overlaps the caller's own work. */
export function createTrialPool(options: { prewarm?: boolean } = {}): TrialPool {
  let worker: Worker | null = null;
  const spawn = (): Worker => {
    const w = new Worker(new URL('./trial-worker.js', import.meta.url));
    // An idle pool must not keep its process alive (a worker process exits when told to stop);
    // a running trial does, until it answers.
    w.unref();
    // An idle worker that fails (a broken install, out of memory) must not crash the process
    // with an unhandled 'error' event: forget it, and the next trial starts a fresh one.
    w.on('error', () => {
      if (worker === w) worker = null;
    });
    return w;
  };
  if (options.prewarm) worker = spawn();
  return {
    run(req, stopAt, options = {}) {
      const t0 = Date.now();
      if (stopAt !== null && stopAt <= t0) return Promise.resolve({ status: 'stopped', ms: 0 });
      const w = (worker ??= spawn());
      return new Promise<TrialOutcome>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const finish = (o: TrialOutcome) => {
          if (timer) clearTimeout(timer);
          w.unref();
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
          resolve(o);
        };
        const onMessage = (m: { ok: true; result: TrialResult } | { ok: false; error: string }) =>
          finish(
            m.ok
              ? { status: 'ok', result: m.result, ms: Date.now() - t0 }
              : { status: 'failed', error: m.error, ms: Date.now() - t0 },
          );
        const onError = (err: Error) => {
          worker = null;
          finish({ status: 'failed', error: err.message, ms: Date.now() - t0 });
        };
        const onExit = () => {
          worker = null;
          finish({ status: 'failed', error: 'trial worker exited', ms: Date.now() - t0 });
        };
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        w.ref();
        if (stopAt !== null) {
          timer = setTimeout(() => {
            w.off('exit', onExit);
            void w.terminate();
            // Start the replacement now: loading its modules overlaps whatever comes next. Not
            // after the last run: on a busy machine a loading worker takes CPU from the finish.
            worker = options.respawn === false ? null : spawn();
            finish({ status: 'stopped', ms: Date.now() - t0 });
          }, stopAt - t0);
        }
        w.postMessage(req);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

/** Folds in shared memory, for the same reason as `shareDataset`. */
export function shareFolds(folds: readonly Fold[]): Fold[] {
  const i32 = (a: Int32Array) => {
    const s = new Int32Array(new SharedArrayBuffer(a.byteLength));
    s.set(a);
    return s;
  };
  return folds.map((f) => ({ train: i32(f.train), valid: i32(f.valid) }));
}

/**
 * The dataset with every typed array moved into shared memory, so posting it to a worker per
 * trial costs nothing instead of a copy.
 */
export function shareDataset(data: LabelledDataset): LabelledDataset {
  const f64 = (a: Float64Array) => {
    const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
    s.set(a);
    return s;
  };
  const i32 = (a: Int32Array) => {
    const s = new Int32Array(new SharedArrayBuffer(a.byteLength));
    s.set(a);
    return s;
  };
  return {
    ...data,
    features: data.features.map((f) =>
      f.kind === 'numeric' ? { ...f, values: f64(f.values) } : { ...f, codes: i32(f.codes) },
    ),
    target: f64(data.target),
    ...(data.groups ? { groups: i32(data.groups) } : {}),
    ...(data.time ? { time: f64(data.time) } : {}),
  };
}
