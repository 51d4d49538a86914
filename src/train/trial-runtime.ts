import type { ObjectStore } from '../ledger/object-store.js';
import type { LabelledDataset } from '../learn/dataset.js';
import { decodeDataset } from '../learn/dataset-codec.js';
import { planSplits, type Fold } from '../learn/eval/splits.js';
import { createTrialPool, shareFolds, type TrialPool } from '../learn/search/trial-pool.js';

/**
 * What a process running trials keeps between them: the datasets it decoded (by object hash),
 * their folds, and idle trial pools (a worker thread each, whose module loading costs about a
 * tenth of a second). A worker process runs many trials of one dataset in a row.
 */
const datasets = new Map<string, Promise<LabelledDataset>>();
const folds = new Map<string, Fold[]>();
const idle: TrialPool[] = [];
const KEEP_DATASETS = 3;

/** The dataset stored at `hash`, decoded once per process into shared memory. */
export function datasetAt(objects: ObjectStore, hash: string): Promise<LabelledDataset> {
  let d = datasets.get(hash);
  if (!d) {
    d = objects.get(hash).then(decodeDataset);
    d.catch(() => datasets.delete(hash));
    datasets.set(hash, d);
    while (datasets.size > KEEP_DATASETS) datasets.delete(datasets.keys().next().value!);
  }
  return d;
}

/** The cross-validation folds of a dataset (deterministic from its rows, the count and the seed). */
export function foldsOf(hash: string, data: LabelledDataset, count: number, seed: number): Fold[] {
  const key = `${hash}:${count}:${seed}`;
  let f = folds.get(key);
  if (!f) {
    f = shareFolds(planSplits(data, count, seed).folds);
    folds.set(key, f);
    while (folds.size > KEEP_DATASETS * 2) folds.delete(folds.keys().next().value!);
  }
  return f;
}

/** Run `fn` with a trial pool of this process: an idle one, or a new one. */
export async function withTrialPool<T>(fn: (pool: TrialPool) => Promise<T>): Promise<T> {
  const pool = idle.pop() ?? createTrialPool();
  try {
    return await fn(pool);
  } finally {
    idle.push(pool);
  }
}

/** Start a trial pool now, so its module loading overlaps whatever comes before the first trial. */
export function prewarmTrialPool(): void {
  if (idle.length === 0) idle.push(createTrialPool({ prewarm: true }));
}
