import type { Workspace } from '../workspace/open-workspace.js';
import { confirmedTarget } from '../metadata/table-review.js';
import type { ColumnRef } from '../catalog/reviewed-facts.js';
import type { ConnectEnv } from '../sources/record-source.js';
import { buildFeatureSet, DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './build-feature-set.js';
import { FEATURE_SETS, featureSetKey, type FeatureSetRecord } from './feature-set-record.js';

/**
 * The feature set training uses for a target: built (or reused) when the target is the one
 * confirmed in review and its table has relationships; null otherwise (train on the table
 * alone). Options are those of the last `fathom features` run for this target, so training
 * uses the matrix the person looked at, rebuilt if the data or the metadata changed since.
 */
export async function featureSetForTraining(
  ws: Workspace,
  target: ColumnRef,
  env: ConnectEnv,
  log: (line: string) => void,
): Promise<FeatureSetRecord | null> {
  const confirmed = await confirmedTarget(ws);
  if (
    !confirmed ||
    confirmed.source !== target.source ||
    confirmed.table !== target.table ||
    confirmed.column !== target.column
  )
    return null;
  const last = (await (await ws.ledger()).getState<FeatureSetRecord>(FEATURE_SETS, featureSetKey(target)))?.value;
  const options: FeatureOptions = {
    ...DEFAULT_FEATURE_OPTIONS,
    // A record written by an older version may lack the selection options: defaults then.
    ...(last
      ? {
          depth: last.depth,
          windowDays: last.windowDays,
          maxFeatures: last.maxFeatures ?? DEFAULT_FEATURE_OPTIONS.maxFeatures,
          seed: last.seed ?? DEFAULT_FEATURE_OPTIONS.seed,
        }
      : {}),
    ...(last?.cutoffAsked ? askedAgain(last) : {}),
    ifRelated: true,
    refresh: env,
    // Training re-discovered the target's source a moment ago.
    refreshed: new Set([target.source]),
    log,
  };
  return (await buildFeatureSet(ws, options))?.record ?? null;
}

/** The cutoff flags that gave a recorded cutoff the person chose. */
function askedAgain(last: FeatureSetRecord): Pick<FeatureOptions, 'column' | 'at' | 'none' | 'table'> {
  switch (last.cutoff.kind) {
    case 'fixed':
      return { at: last.cutoff.at };
    case 'column':
    case 'time-index':
      return { column: last.cutoff.column };
    case 'none':
      return { none: true };
    case 'table':
      return { table: `${last.cutoff.table}.${last.cutoff.column}` };
  }
}
