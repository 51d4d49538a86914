import type { Workspace } from '../../workspace/open-workspace.js';
import { resolveModelVersion, type ModelVersion } from '../model-registry.js';
import { scoreBatch, type BatchHooks, type BatchOptions, type BatchSummary } from './score-batch.js';

export interface PredictBatchHooks extends BatchHooks {
  /** The version the reference named, before any row is scored (e.g. to title a progress bar). */
  resolved?(version: ModelVersion): void;
}

/**
 * Batch scoring by model reference (`fathom predict`): NAME (its production version, else its
 * latest), NAME@VERSION or NAME@STAGE, over a file or SOURCE.TABLE, into a CSV or Parquet file.
 */
export async function predictBatch(
  ws: Workspace,
  model: string,
  input: string,
  output: string,
  options: BatchOptions = {},
  hooks: PredictBatchHooks = {},
): Promise<BatchSummary> {
  const version = await resolveModelVersion(ws, model);
  hooks.resolved?.(version);
  return scoreBatch(ws, version, input, output, options, hooks.progress ? { progress: hooks.progress } : {});
}
