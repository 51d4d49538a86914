import type { ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import { FathomError, badInput } from '../util/fathom-error.js';
import { encodeDataset } from '../learn/dataset-codec.js';
import type { Task, TaskKind } from '../learn/dataset.js';
import { metricsFor, type MetricName } from '../learn/eval/metrics.js';
import { planSplits, type SplitKind } from '../learn/eval/splits.js';
import type { FeaturePlan } from '../features/feature-plan.js';
import { FEATURE_SETS, featureSetKey, keptFeatures, type FeatureSetRecord } from '../features/feature-set-record.js';
import { scoringPlanFor } from '../features/scoring-plan-for.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { findTable, loadTrainingTable, type TrainingData } from './load-training-table.js';
import type { ModelCard } from './model-card.js';

/** Everything that decides a model's training rows: the table or matrix, the target and the split. */
export interface DatasetParams {
  /** The model's name: the subject, so a changed table makes this node stale, not new. */
  readonly name: string;
  readonly source: string;
  readonly table: string;
  readonly target: string;
  readonly task: TaskKind | null;
  readonly timeColumn: string | null;
  readonly groupColumn: string | null;
  /** The metric asked for (checked against the task here), or null for the task's first. */
  readonly metric: MetricName | null;
  /**
   * The features selection kept, when the rows come from the feature matrix (the action's
   * input is then the matrix action), or null: the table alone. The kept list, not the
   * selection action, is what matters: a selection that ran again and kept the same makes
   * nothing stale.
   */
  readonly features: { readonly kept: readonly string[] } | null;
  readonly split: { readonly folds: number; readonly seed: number };
}

/** The stored training rows and what training needs to know of them. */
export interface DatasetOutput {
  /** Object hash of the encoded dataset (learn/dataset-codec.ts). */
  readonly object: string;
  readonly rows: number;
  readonly droppedRows: number;
  readonly plan: FeaturePlan;
  readonly task: Task;
  readonly metric: MetricName;
  readonly split: { readonly kind: SplitKind; readonly folds: number; readonly seed: number };
  /** The rows' data: the table's fingerprint, or the matrix action's (which covers every table it read). */
  readonly dataFingerprint: string;
  /** The metadata version of the newest review decision about the table. */
  readonly metadataVersion: number;
  /** The source's kind, for the scoring plan's SQL dialect. */
  readonly engineKind: string;
  readonly featureSet?: NonNullable<ModelCard['featureSet']>;
  readonly scoring?: NonNullable<ModelCard['scoring']>;
}

/**
 * `learn.dataset`: read a model's training rows once (the feature matrix, or the table), plan
 * each column's treatment, check that the split can be made, and store the rows as bytes that
 * every trial, on any worker, reads. Its input is the data (a table's fingerprint or the
 * feature selection's action), so changed data makes a new dataset and new trials.
 */
export const datasetKind: ActionKind<DatasetParams, DatasetOutput> = registerActionKind({
  kind: 'learn.dataset',
  version: '1',
  subject: (p) => p.name,
  async run(ctx, params, inputs) {
    const ws = workspaceOf(ctx.workspace);
    const featureSet =
      params.features === null
        ? undefined
        : await matrixRecord(ws, params, inputs[0]?.fingerprint, params.features.kept);
    const found = await findTable(ws, params.table, params.source);
    if (featureSet === undefined && inputs[0] !== undefined && inputs[0].fingerprint !== found.table.fingerprint) {
      throw new FathomError('failed', `${params.source}.${params.table} changed after this training was planned`, {
        hint: 'Run it again: it plans against the current data.',
      });
    }
    const data = await loadTrainingTable(
      ws,
      {
        table: params.table,
        column: params.target,
        source: params.source,
        ...(params.timeColumn !== null ? { timeColumn: params.timeColumn } : {}),
        ...(params.groupColumn !== null ? { groupColumn: params.groupColumn } : {}),
        ...(params.task !== null ? { task: params.task } : {}),
      },
      () => ws.vault(process.stdin),
      ctx.stopAt,
      featureSet,
    );
    if (ctx.metadataVersion !== null && data.metadataVersion !== ctx.metadataVersion) {
      throw new FathomError('failed', `the review of ${params.table} changed after this training was planned`, {
        hint: 'Run it again: it plans against the current metadata.',
      });
    }
    const task = data.dataset.task.kind;
    const metric = params.metric ?? metricsFor(task)[0]!;
    if (!metricsFor(task).includes(metric)) {
      throw badInput(
        `Metric ${metric} does not fit a ${task} target (${params.table}.${params.target})`,
        `Use one of: ${metricsFor(task).join(', ')}.`,
      );
    }
    const split = checkSplit(data, params);
    const object = await ctx.objects.put(encodeDataset(data.dataset));
    return {
      object,
      rows: data.dataset.rows,
      droppedRows: data.droppedRows,
      plan: data.plan,
      task: data.dataset.task,
      metric,
      split: { kind: split, folds: params.split.folds, seed: params.split.seed },
      dataFingerprint: featureSet?.matrix.fingerprint ?? data.table.fingerprint,
      metadataVersion: data.metadataVersion,
      engineKind: found.record.kind,
      ...(featureSet ? featureCard(featureSet, data, found.record.kind) : {}),
    };
  },
});

function workspaceOf(ws: Workspace | undefined): Workspace {
  if (!ws)
    throw new FathomError('failed', 'training actions run inside a workspace', {
      hint: 'Run them through fathom train, fathom run or fathom worker in the project folder.',
    });
  return ws;
}

/**
 * The feature set as the workspace records it now: the projection holds the latest selection,
 * which must be of the planned matrix and keep the planned features.
 */
async function matrixRecord(
  ws: Workspace,
  params: DatasetParams,
  matrix: string | undefined,
  planned: readonly string[],
): Promise<FeatureSetRecord> {
  const key = featureSetKey({ source: params.source, table: params.table, column: params.target });
  const rec = (await (await ws.ledger()).getState<FeatureSetRecord>(FEATURE_SETS, key))?.value;
  const kept = rec ? keptFeatures(rec) : [];
  const same = kept.length === planned.length && kept.every((x, i) => x === planned[i]);
  if (!rec || rec.matrix.fingerprint !== matrix || !same) {
    throw new FathomError(
      'failed',
      `the feature set of ${params.table}.${params.target} changed after this training was planned`,
      {
        hint: 'Run it again: it plans against the current feature set.',
      },
    );
  }
  return rec;
}

/** The split's kind, or a clear error when the rows cannot be split into that many folds. */
function checkSplit(data: TrainingData, params: DatasetParams): SplitKind {
  const d = data.dataset;
  const { folds, seed } = params.split;
  if (d.task.kind === 'binary' && !d.time) {
    const counts = new Map<number, number>();
    for (const y of d.target) counts.set(y, (counts.get(y) ?? 0) + 1);
    for (const [c, n] of counts) {
      if (n < folds) {
        throw badInput(
          `Target ${params.table}.${params.target} has only ${n} rows of class ${JSON.stringify(d.task.classes![c])}, fewer than the ${folds} folds`,
          `Use fewer folds (--folds ${Math.max(2, n)}) or more data.`,
        );
      }
    }
  }
  try {
    return planSplits(d, folds, seed).kind;
  } catch (err) {
    throw badInput(
      `Cannot split ${params.table} into ${folds} folds: ${err instanceof Error ? err.message : String(err)}`,
      'Use fewer --folds.',
    );
  }
}

/** What the model card says of the feature matrix, and the scoring plan for the model's features. */
function featureCard(
  fs: FeatureSetRecord,
  data: TrainingData,
  engineKind: Parameters<typeof scoringPlanFor>[2],
): Pick<DatasetOutput, 'featureSet' | 'scoring'> {
  return {
    featureSet: {
      matrix: fs.matrix.fingerprint,
      depth: fs.depth,
      cutoff: fs.cutoff,
      windowDays: fs.windowDays,
      synthesized: fs.features.length,
      selected: fs.selection.kept.length,
    },
    scoring: scoringPlanFor(
      fs,
      data.plan.features.map((p) => p.column),
      engineKind,
      data.table.columns,
    ),
  };
}
