import type { Workspace } from '../workspace/open-workspace.js';
import type { ConnectEnv } from '../sources/record-source.js';
import { FathomError, badInput } from '../util/fathom-error.js';
import { checkOptions, type FeatureOptions } from '../features/feature-options.js';
import { FEATURE_SETS, featureSetKey, type FeatureSetRecord } from '../features/feature-set-record.js';
import { confirmedTarget } from '../metadata/table-review.js';
import { runPipeline, type RunHooks } from './run-pipeline.js';
import type { PipelineGoals } from './pipeline-goals.js';

export interface FeatureSetOutcome {
  readonly record: FeatureSetRecord;
  /** The matrix was reused from an earlier run (same data, metadata and options). */
  readonly reused: boolean;
  readonly ms: number;
}

/**
 * `fathom features`: the confirmed target's feature set, through the planner: its source is
 * explored first (incremental), round two runs, then synthesis, the matrix and selection, each
 * reused while the data, the reviewed metadata and the options are unchanged.
 */
export async function buildFeatures(
  ws: Workspace,
  env: ConnectEnv,
  options: FeatureOptions & { readonly workers?: number | 'joined' },
  hooks: RunHooks = {},
): Promise<FeatureSetOutcome> {
  const { workers, ...asked } = options;
  checkOptions(asked);
  const target = await confirmedTarget(ws);
  if (!target) {
    throw badInput(
      'No target is confirmed, so there is nothing to build features for',
      'Confirm one: fathom tag TABLE.COLUMN --target (or fathom review).',
    );
  }
  const goals: PipelineGoals = {
    sources: [target.source],
    review: null,
    roundTwo: true,
    features: asked,
    train: null,
    production: null,
  };
  const run = await runPipeline(ws, env, { goals, workers: workers ?? 0 }, hooks);
  const record = (await (await ws.ledger()).getState<FeatureSetRecord>(FEATURE_SETS, featureSetKey(target)))?.value;
  const synthesized = run.nodes.find((n) => n.kind === 'features.synthesize');
  if (!record || record.matrix.fingerprint === undefined || synthesized === undefined) {
    throw new FathomError(
      'bad_input',
      `${target.table} has no related tables: there are no features to build from them`,
      {
        hint: `fathom train trains on ${target.table}'s own columns; confirm a relationship with fathom tag CHILD.COLUMN --references ${target.table}.KEY to aggregate a child table.`,
      },
    );
  }
  const matrix = run.nodes.find((n) => n.kind === 'features.matrix');
  return { record, reused: matrix?.outcome !== 'ran', ms: run.ms };
}
