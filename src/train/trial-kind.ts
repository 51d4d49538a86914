import type { ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import { DeadlineReached } from '../orchestrate/deadline.js';
import type { ObjectStore } from '../ledger/object-store.js';
import { FathomError } from '../util/fathom-error.js';
import type { MetricName } from '../learn/eval/metrics.js';
import type { Family } from '../learn/search/learners.js';
import type { Params } from '../learn/search/param-space.js';
import { configKey } from '../learn/search/search-rounds.js';
import type { DatasetOutput } from './dataset-kind.js';
import { datasetAt, foldsOf, withTrialPool } from './trial-runtime.js';

/** One configuration cross-validated on one dataset (the action's input). */
export interface TrialParams {
  /** The model's name, so its trials are its subjects (stale, not new, when the data changes). */
  readonly name: string;
  readonly family: Family;
  readonly params: Params;
  /** null: the task's first metric, which the dataset says. */
  readonly metric: MetricName | null;
  readonly folds: number;
  readonly seed: number;
  /** Threads per fit: 1 whenever the result must not depend on the machine (a unit budget). */
  readonly threads: number;
}

/** The stored output of a trial; predictions and models are side objects (by hash). */
export interface TrialOutput {
  /** The metric it was scored on (the one asked for, or the task's first). */
  readonly metric: MetricName;
  readonly metricValue: number;
  readonly foldScores: Array<number | null>;
  readonly units: number;
  readonly ms: number;
  /** Object hash of the out-of-fold predictions (little-endian float64). */
  readonly oof: string;
  /** Object hash of the fold models' JSON array. */
  readonly models: string;
}

/**
 * `learn.trial`: cross-validate one configuration in a worker thread, stopped at the queue's
 * stop time (the time budget). Self-contained: any worker on any machine reads the dataset by
 * its object hash, so the trials of a round run wherever there is a free worker.
 */
export const trialKind: ActionKind<TrialParams, TrialOutput> = registerActionKind({
  kind: 'learn.trial',
  // 2: queued; the dataset is an input action, and the metric may be the task's default.
  version: '2',
  subject: (p) => `${p.name} ${configKey(p)}`,
  async run(ctx, params, inputs) {
    const dataset = inputs[0]?.value as DatasetOutput | undefined;
    if (dataset === undefined || typeof dataset.object !== 'string') {
      throw new FathomError('failed', 'a trial needs its dataset: the learn.dataset action it depends on', {
        hint: 'Trials are planned by fathom train or fathom run, which queue the dataset first.',
      });
    }
    const data = await datasetAt(ctx.objects, dataset.object);
    const folds = foldsOf(dataset.object, data, params.folds, params.seed);
    const metric = params.metric ?? dataset.metric;
    const outcome = await withTrialPool((pool) =>
      pool.run(
        {
          data,
          folds,
          family: params.family,
          params: params.params,
          metric,
          threads: params.threads,
          seed: params.seed,
        },
        ctx.stopAt,
      ),
    );
    if (outcome.status === 'stopped') throw new DeadlineReached(`trial ${params.family}`, outcome.ms);
    if (outcome.status === 'failed') throw new FathomError('failed', `trial failed: ${outcome.error}`);
    const r = outcome.result;
    // A fold can leave a metric undefined (AUC on a fold with one class): average the others.
    const finite = r.foldScores.filter((v) => Number.isFinite(v));
    if (finite.length === 0) throw new FathomError('failed', `trial failed: ${metric} is undefined on every fold`);
    return {
      metric,
      metricValue: finite.reduce((s, v) => s + v, 0) / finite.length,
      foldScores: r.foldScores.map((v) => (Number.isFinite(v) ? v : null)),
      units: r.units,
      ms: outcome.ms,
      oof: await ctx.objects.put(new Uint8Array(r.oof!.buffer, r.oof!.byteOffset, r.oof!.byteLength)),
      models: await ctx.objects.put(JSON.stringify(r.models)),
    };
  },
});

export async function readOof(objects: ObjectStore, hash: string): Promise<Float64Array> {
  const bytes = await objects.get(hash);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}

export async function readFoldModels(objects: ObjectStore, hash: string): Promise<unknown[]> {
  return JSON.parse(Buffer.from(await objects.get(hash)).toString('utf8')) as unknown[];
}
