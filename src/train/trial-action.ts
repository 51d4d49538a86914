import type { ActionKind } from '../orchestrate/action-kind.js';
import type { ObjectStore } from '../ledger/object-store.js';
import { runAction, type RunContext } from '../orchestrate/run-action.js';
import { FathomError } from '../util/fathom-error.js';
import type { LabelledDataset } from '../learn/dataset.js';
import type { Fold, SplitKind } from '../learn/eval/splits.js';
import { metricScore, type MetricName } from '../learn/eval/metrics.js';
import type { TrialPool } from '../learn/search/trial-pool.js';
import type { EvaluatedTrial, TrialConfig } from '../learn/search/run-search.js';

/** What identifies a trial: the data, the split, the metric and the configuration. */
export interface TrialParams {
  readonly table: string;
  readonly target: string;
  /** Digest of the feature plan and task, so a changed treatment is a different trial. */
  readonly plan: string;
  readonly split: { kind: SplitKind; folds: number; seed: number };
  readonly metric: MetricName;
  readonly family: string;
  readonly params: Readonly<Record<string, number>>;
}

/** The stored output of a trial; predictions and models are side objects (by hash). */
export interface TrialOutput {
  readonly metricValue: number;
  readonly foldScores: Array<number | null>;
  readonly units: number;
  readonly ms: number;
  /** Object hash of the out-of-fold predictions (little-endian float64). */
  readonly oof: string;
  /** Object hash of the fold models' JSON array. */
  readonly models: string;
}

export interface TrialEnv {
  readonly run: RunContext;
  readonly pool: TrialPool;
  readonly data: LabelledDataset;
  readonly folds: readonly Fold[];
  readonly tableFingerprint: string;
  readonly base: Omit<TrialParams, 'family' | 'params'>;
  readonly threads: number;
  readonly seed: number;
}

/**
 * Evaluate a configuration as a `learn.trial` ledger action: cross-validated in a worker
 * (stopped at `stopAt`), reused when the same trial on the same data already ran.
 */
export async function evaluateTrial(
  env: TrialEnv,
  config: TrialConfig,
  stopAt: number | null,
): Promise<EvaluatedTrial> {
  const params: TrialParams = { ...env.base, family: config.family, params: config.params };
  let stopped = false;
  const kind: ActionKind<TrialParams, TrialOutput> = {
    kind: 'learn.trial',
    version: '1',
    run: async (ctx) => {
      const outcome = await env.pool.run(
        {
          data: env.data,
          folds: env.folds,
          family: config.family,
          params: config.params,
          metric: env.base.metric,
          threads: env.threads,
          seed: env.seed,
        },
        stopAt,
      );
      if (outcome.status === 'stopped') {
        stopped = true;
        throw new FathomError('failed', `trial stopped at the time budget deadline after ${outcome.ms} ms`);
      }
      if (outcome.status === 'failed') throw new FathomError('failed', `trial failed: ${outcome.error}`);
      const r = outcome.result;
      // A fold can leave a metric undefined (AUC on a fold with one class): average the others.
      const finite = r.foldScores.filter((v) => Number.isFinite(v));
      if (finite.length === 0)
        throw new FathomError('failed', `trial failed: ${env.base.metric} is undefined on every fold`);
      return {
        metricValue: finite.reduce((s, v) => s + v, 0) / finite.length,
        foldScores: r.foldScores.map((v) => (Number.isFinite(v) ? v : null)),
        units: r.units,
        ms: outcome.ms,
        oof: await ctx.objects.put(new Uint8Array(r.oof!.buffer, r.oof!.byteOffset, r.oof!.byteLength)),
        models: await ctx.objects.put(JSON.stringify(r.models)),
      };
    },
  };
  const t0 = Date.now();
  try {
    const res = await runAction(env.run, kind, params, [{ fingerprint: env.tableFingerprint }]);
    const out = res.value;
    return {
      status: 'ok',
      id: res.fingerprint,
      metricValue: out.metricValue,
      score: metricScore(env.base.metric, out.metricValue),
      foldScores: out.foldScores,
      units: out.units,
      ms: res.reused ? Date.now() - t0 : out.ms,
      reused: res.reused,
      oof: await readOof(env.run.objects, out.oof),
      models: out.models,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      status: stopped ? 'stopped' : 'failed',
      id: '',
      metricValue: Number.NaN,
      score: Number.NaN,
      foldScores: [],
      units: 0,
      ms: Date.now() - t0,
      reused: false,
      error: message,
    };
  }
}

export async function readOof(objects: ObjectStore, hash: string): Promise<Float64Array> {
  const bytes = await objects.get(hash);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}

export async function readFoldModels(objects: ObjectStore, hash: string): Promise<unknown[]> {
  return JSON.parse(Buffer.from(await objects.get(hash)).toString('utf8')) as unknown[];
}
