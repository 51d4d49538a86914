import { parentPort } from 'node:worker_threads';
import { runTrialTask, type TrialRequest } from './trial-task.js';

/** Runs trials sent by `createTrialPool`; the pool terminates this thread at the deadline. */
parentPort!.on('message', (req: TrialRequest) => {
  runTrialTask(req).then(
    (result) => parentPort!.postMessage({ ok: true, result }, result.oof ? [result.oof.buffer as ArrayBuffer] : []),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
