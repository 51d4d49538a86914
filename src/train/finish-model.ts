import type { ActionContext } from '../orchestrate/action-kind.js';
import { canonicalJson } from '../util/hash.js';
import type { LabelledDataset, Model } from '../learn/dataset.js';
import { calibrationCurve } from '../learn/eval/calibration-curve.js';
import { computeMetric, metricsFor, type MetricName } from '../learn/eval/metrics.js';
import type { Fold } from '../learn/eval/splits.js';
import { selectEnsemble } from '../learn/search/ensemble-selection.js';
import { learnerFor } from '../learn/search/learners.js';
import { LinearModel } from '../learn/linear/index.js';
import { FathomModel, type FathomModelJson, type MemberJson } from './fathom-model.js';
import type { ModelCard } from './model-card.js';
import { oofPredict, permutationImportance, type FoldEnsemble } from './permutation-importance.js';
import { readFoldModels, readOof, type TrialOutput } from './trial-kind.js';
import type { DatasetOutput } from './dataset-kind.js';
import type { EnsembleParams, TrainOutput } from './ensemble-kind.js';
import { withTrialPool } from './trial-runtime.js';
import { explainModel, gbdtGainImportance, meanAbsoluteShap } from './explain-model.js';
import { subsetDataset } from '../learn/search/subset-dataset.js';
import { seededRandom, shuffleInPlace } from '../learn/eval/seeded-random.js';
import { trainingProfile } from './training-profile.js';

export interface FinishInput {
  readonly ctx: ActionContext;
  readonly params: EnsembleParams;
  readonly dataset: DatasetOutput;
  readonly data: LabelledDataset;
  readonly folds: readonly Fold[];
  /** The outputs of the candidate trials, in the order of `params.top`. */
  readonly trials: readonly TrialOutput[];
}

/**
 * After the search: pick the ensemble (Caruana) over the best trials' out-of-fold predictions,
 * refit each member on all rows (falling back to its fold models when the budget runs out),
 * measure the ensemble per fold and by permutation importance, save the model and its card.
 * Under a time budget the action's stop time is the training's deadline: the refit gives up
 * 3% of the budget before it, importance 2%, and SHAP runs only with 4% to spare.
 */
export async function finishModel(f: FinishInput): Promise<TrainOutput> {
  const { data, params, dataset } = f;
  const metric = params.metric;
  const say = f.ctx.log;
  const budget = params.timeBudgetMs;
  const stopAt = f.ctx.stopAt;
  const refitStop = stopAt === null || budget === null ? null : stopAt - 0.03 * budget;
  const importanceStop = stopAt === null || budget === null ? null : stopAt - 0.02 * budget;
  const byId = new Map(params.leaderboard.map((e) => [e.id, e]));
  const top = params.top.map((id, i) => ({ entry: byId.get(id)!, output: f.trials[i]! }));
  const oofs = await Promise.all(top.map((t) => readOof(f.ctx.objects, t.output.oof)));
  const validRows = Int32Array.from(new Set(f.folds.flatMap((x) => Array.from(x.valid)))).sort();
  // Selection scores the blend 25 × candidates times; AUC sorts each time, so large tables are
  // scored on a seeded sample of 20,000 validation rows.
  const selectionRows =
    validRows.length <= 20_000
      ? validRows
      : shuffleInPlace(validRows.slice(), seededRandom(params.seed)).slice(0, 20_000).sort();
  const choice = selectEnsemble(
    top.map((t, i) => ({ id: t.entry.id, oof: oofs[i]! })),
    data.target,
    data.task,
    metric,
    selectionRows,
    { stopAt: refitStop },
  );
  const chosen = top.filter((t) => choice.weights.has(t.entry.id));
  say(
    `ensemble: ${chosen.map((c) => `trial ${c.entry.trial} (${c.entry.family}) × ${choice.weights.get(c.entry.id)!.toFixed(2)}`).join(', ')}`,
  );

  const foldModels: Model[][] = [];
  const foldJson: unknown[][] = [];
  for (const c of chosen) {
    const folds = await readFoldModels(f.ctx.objects, c.output.models);
    foldJson.push(folds);
    foldModels.push(folds.map((m) => learnerFor(c.entry.family).fromJSON(m)));
  }
  const ensemble: FoldEnsemble = f.folds.map((_, k) =>
    chosen.map((c, i) => ({ weight: choice.weights.get(c.entry.id)!, model: foldModels[i]![k]! })),
  );
  const t0 = Date.now();
  const oof = oofPredict(data, f.folds, ensemble, data);
  const oofMs = Date.now() - t0;
  const metrics: Record<string, { mean: number; std: number }> = {};
  for (const m of metricsFor(data.task.kind)) {
    const perFold = f.folds
      .map((x) => computeMetric(m, data.target, { task: data.task, values: oof }, x.valid))
      .filter(Number.isFinite);
    if (perFold.length === 0) continue;
    const mean = perFold.reduce((s, v) => s + v, 0) / perFold.length;
    metrics[m] = { mean, std: Math.sqrt(perFold.reduce((s, v) => s + (v - mean) ** 2, 0) / perFold.length) };
  }
  // Refit after the fold-model work above, so only the refit and importance run against the clock.
  const members: MemberJson[] = [];
  for (const [i, c] of chosen.entries()) {
    const e = c.entry;
    const refit = await withTrialPool((pool) =>
      pool.run(
        { data, folds: null, family: e.family, params: e.params, metric, threads: 1, seed: params.seed },
        refitStop,
        { respawn: false },
      ),
    );
    const weight = choice.weights.get(e.id)!;
    const base = { weight, family: e.family, params: e.params, trial: e.id };
    members.push(
      refit.status === 'ok'
        ? { ...base, fit: 'refit', models: refit.result.models }
        : { ...base, fit: 'folds', models: foldJson[i]! },
    );
    if (refit.status !== 'ok')
      say(`refit of trial ${e.trial} ${refit.status}: keeping its ${foldJson[i]!.length} fold models`);
  }
  say('permutation importance');
  // Importance is measured on the same sample as selection: each feature costs three full passes.
  const inSample = new Uint8Array(data.rows);
  for (const r of selectionRows) inSample[r] = 1;
  const importanceFolds = f.folds.map((x) => ({ train: x.train, valid: x.valid.filter((r) => inSample[r] === 1) }));
  const importance = permutationImportance(data, importanceFolds, ensemble, metric, {
    seed: params.seed,
    stopAt: importanceStop,
    baselineOof: oof,
    baselineMs: oofMs,
  });

  say(`importance done (${importance.complete ? 'complete' : 'partial'})`);
  const modelJson: FathomModelJson = {
    format: 'fathom.model',
    version: 1,
    task: data.task,
    target: data.targetName,
    plan: dataset.plan,
    members,
  };
  const model = new FathomModel(modelJson);
  const hash = await f.ctx.objects.put(canonicalJson(modelJson));
  // The training distribution of every feature and of the predictions, for drift monitoring.
  const treatments = new Map(dataset.plan.features.map((p) => [p.column, p.treatment]));
  const profile = await f.ctx.objects.put(canonicalJson(trainingProfile(data, treatments, data.task, oof)));
  const single = model.single();
  // SHAP is a summary for people, computed only with time to spare (4% of the budget).
  const spare = importanceStop === null || budget === null || importanceStop - Date.now() > 0.04 * budget;
  const shapImportance = spare ? shapSummary(model, data, params.seed) : null;
  say(`model saved${shapImportance ? ', SHAP summarised' : ''}`);
  const lb = params.leaderboard;
  const card: ModelCard = {
    name: params.name,
    createdAt: new Date().toISOString(),
    model: hash,
    profile,
    data: {
      source: params.source,
      table: params.table,
      fingerprint: dataset.dataFingerprint,
      rows: data.rows,
      rowsDropped: dataset.droppedRows,
      metadataVersion: dataset.metadataVersion,
    },
    target: { column: params.target, task: data.task.kind, classes: data.task.classes ? [...data.task.classes] : null },
    features: {
      used: dataset.plan.features.map((p) => ({
        column: p.column,
        treatment: p.treatment,
        ...(p.categories ? { levels: p.categories.length } : {}),
      })),
      dropped: dataset.plan.dropped,
    },
    split: {
      kind: dataset.split.kind,
      folds: f.folds.length,
      seed: params.seed,
      timeColumn: params.timeColumn,
      groupColumn: params.groupColumn,
    },
    metric,
    metrics,
    ensemble: chosen.map((c, i) => ({
      trial: c.entry.trial,
      family: c.entry.family,
      params: c.entry.params,
      weight: members[i]!.weight,
      fit: members[i]!.fit,
    })),
    permutationImportance: {
      complete: importance.complete,
      features: importance.importances.filter((x) => Number.isFinite(x.mean)),
    },
    gainImportance: gbdtGainImportance(model),
    shapImportance,
    calibration: data.task.kind === 'binary' ? calibrationCurve(data.target, oof, 10, validRows) : null,
    search: {
      trials: lb.length,
      completed: lb.filter((e) => e.status === 'ok').length,
      stopped: lb.filter((e) => e.status === 'stopped').length,
      failed: lb.filter((e) => e.status === 'failed').length,
      unitsUsed: lb.reduce((s, e) => s + e.units, 0),
    },
    // Under a time budget the training started at the deadline minus the budget.
    time: {
      budgetMs: budget,
      budgetUnits: params.budgetUnits,
      usedMs: stopAt === null || budget === null ? null : Date.now() - (stopAt - budget),
    },
    warnings: leakageWarnings(metrics, importance.importances),
    description: single instanceof LinearModel ? single.describe() : null,
    ...(dataset.featureSet ? { featureSet: dataset.featureSet } : {}),
    ...(dataset.scoring ? { scoring: dataset.scoring } : {}),
  };
  for (const w of card.warnings) say(`warning: ${w}`);
  return { name: params.name, model: hash, card, leaderboard: lb };
}

/** Mean |SHAP| on up to 500 sampled rows: TreeSHAP costs grow with trees × leaves × depth² per row. */
function shapSummary(model: FathomModel, data: LabelledDataset, seed: number): ModelCard['shapImportance'] {
  const rows = shuffleInPlace(
    Int32Array.from({ length: data.rows }, (_, i) => i),
    seededRandom(seed),
  )
    .slice(0, 500)
    .sort();
  const sample = subsetDataset(data, rows);
  return { rows: rows.length, features: meanAbsoluteShap(explainModel(model, sample)) };
}

/**
 * A cross-validated score this close to perfect is rarely real: usually a column that is
 * recorded after (or because of) the outcome. Name the feature carrying it.
 */
function leakageWarnings(
  metrics: Record<string, { mean: number }>,
  importances: ReadonlyArray<{ feature: string; mean: number }>,
): string[] {
  const perfect =
    (metrics.auc?.mean ?? 0) >= 0.999 || (metrics.r2?.mean ?? 0) >= 0.999 || (metrics.accuracy?.mean ?? 0) >= 0.999;
  if (!perfect) return [];
  const top = importances[0];
  return [
    `cross-validated ${Object.entries(metrics)
      .map(([k, v]) => `${k} ${v.mean.toFixed(4)}`)
      .join(
        ', ',
      )} is near perfect: suspect target leakage${top ? `, most of all from ${top.feature}` : ''}; check that each feature is known before the outcome`,
  ];
}
