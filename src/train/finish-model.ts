import type { ActionContext } from '../orchestrate/action-kind.js';
import { canonicalJson } from '../util/hash.js';
import type { LabelledDataset, Model } from '../learn/dataset.js';
import { calibrationCurve } from '../learn/eval/calibration-curve.js';
import { computeMetric, metricsFor, type MetricName } from '../learn/eval/metrics.js';
import type { SplitPlan } from '../learn/eval/splits.js';
import { selectEnsemble } from '../learn/search/ensemble-selection.js';
import { learnerFor } from '../learn/search/learners.js';
import type { SearchOutcome } from '../learn/search/run-search.js';
import type { TrialPool } from '../learn/search/trial-pool.js';
import { LinearModel } from '../learn/linear/index.js';
import type { FeaturePlan } from '../features/feature-plan.js';
import { FathomModel, type FathomModelJson, type MemberJson } from './fathom-model.js';
import type { ModelCard } from './model-card.js';
import { oofPredict, permutationImportance, type FoldEnsemble } from './permutation-importance.js';
import { readFoldModels } from './trial-action.js';
import { explainModel, gbdtGainImportance, meanAbsoluteShap } from './explain-model.js';
import { subsetDataset } from '../learn/search/subset-dataset.js';
import { seededRandom, shuffleInPlace } from '../learn/eval/seeded-random.js';
import type { TrainOutput, TrainRequest } from './train-model.js';
import { trainingProfile } from './training-profile.js';

export interface FinishInput {
  readonly ctx: ActionContext;
  readonly pool: TrialPool;
  readonly data: LabelledDataset;
  readonly plan: FeaturePlan;
  readonly split: SplitPlan;
  readonly metric: MetricName;
  readonly req: TrainRequest;
  readonly name: string;
  readonly source: string;
  readonly tableFingerprint: string;
  readonly rowsDropped: number;
  readonly outcome: SearchOutcome;
  readonly startedAt: number;
  /** Refits still running then are abandoned for the fold models (null: no deadline). */
  readonly refitStop: number | null;
  readonly importanceStop: number | null;
  readonly say: (line: string) => void;
  readonly featureSet?: ModelCard['featureSet'];
  readonly scoring?: ModelCard['scoring'];
}

/**
 * After the search: pick the ensemble (Caruana) over the best trials' out-of-fold predictions,
 * refit each member on all rows (falling back to its fold models when the budget runs out),
 * measure the ensemble per fold and by permutation importance, save the model and its card.
 */
export async function finishModel(f: FinishInput): Promise<TrainOutput> {
  const { data, split, metric, outcome } = f;
  const validRows = Int32Array.from(new Set(split.folds.flatMap((x) => Array.from(x.valid)))).sort();
  // Selection scores the blend 25 × candidates times; AUC sorts each time, so large tables are
  // scored on a seeded sample of 20,000 validation rows.
  const selectionRows =
    validRows.length <= 20_000
      ? validRows
      : shuffleInPlace(validRows.slice(), seededRandom(f.req.seed)).slice(0, 20_000).sort();
  const choice = selectEnsemble(
    outcome.top.map((t) => ({ id: t.entry.id, oof: t.oof })),
    data.target,
    data.task,
    metric,
    selectionRows,
    { stopAt: f.refitStop },
  );
  const chosen = outcome.top.filter((t) => choice.weights.has(t.entry.id)).map((t) => t.entry);
  f.say(
    `ensemble: ${chosen.map((e) => `trial ${e.trial} (${e.family}) × ${choice.weights.get(e.id)!.toFixed(2)}`).join(', ')}`,
  );

  const foldModels: Model[][] = [];
  const foldJson: unknown[][] = [];
  for (const e of chosen) {
    const folds = await readFoldModels(f.ctx.objects, e.models!);
    foldJson.push(folds);
    foldModels.push(folds.map((m) => learnerFor(e.family).fromJSON(m)));
  }
  const ensemble: FoldEnsemble = split.folds.map((_, k) =>
    chosen.map((e, i) => ({ weight: choice.weights.get(e.id)!, model: foldModels[i]![k]! })),
  );
  const t0 = Date.now();
  const oof = oofPredict(data, split.folds, ensemble, data);
  const oofMs = Date.now() - t0;
  const metrics: Record<string, { mean: number; std: number }> = {};
  for (const m of metricsFor(data.task.kind)) {
    const perFold = split.folds
      .map((x) => computeMetric(m, data.target, { task: data.task, values: oof }, x.valid))
      .filter(Number.isFinite);
    if (perFold.length === 0) continue;
    const mean = perFold.reduce((s, v) => s + v, 0) / perFold.length;
    metrics[m] = { mean, std: Math.sqrt(perFold.reduce((s, v) => s + (v - mean) ** 2, 0) / perFold.length) };
  }
  // Refit after the fold-model work above, so only the refit and importance run against the clock.
  const members: MemberJson[] = [];
  for (const [i, e] of chosen.entries()) {
    const refit = await f.pool.run(
      { data, folds: null, family: e.family, params: e.params, metric, threads: 1, seed: f.req.seed },
      f.refitStop,
      { respawn: false },
    );
    const weight = choice.weights.get(e.id)!;
    const base = { weight, family: e.family, params: e.params, trial: e.id };
    members.push(
      refit.status === 'ok'
        ? { ...base, fit: 'refit', models: refit.result.models }
        : { ...base, fit: 'folds', models: foldJson[i]! },
    );
    if (refit.status !== 'ok')
      f.say(`refit of trial ${e.trial} ${refit.status}: keeping its ${foldJson[i]!.length} fold models`);
  }
  f.say(
    `permutation importance${f.importanceStop !== null ? ` until ${((f.importanceStop - f.startedAt) / 1000).toFixed(2)} s` : ''}`,
  );
  // Importance is measured on the same sample as selection: each feature costs three full passes.
  const inSample = new Uint8Array(data.rows);
  for (const r of selectionRows) inSample[r] = 1;
  const importanceFolds = split.folds.map((x) => ({ train: x.train, valid: x.valid.filter((r) => inSample[r] === 1) }));
  const importance = permutationImportance(data, importanceFolds, ensemble, metric, {
    seed: f.req.seed,
    stopAt: f.importanceStop,
    baselineOof: oof,
    baselineMs: oofMs,
  });

  f.say(`importance done (${importance.complete ? 'complete' : 'partial'})`);
  const modelJson: FathomModelJson = {
    format: 'fathom.model',
    version: 1,
    task: data.task,
    target: data.targetName,
    plan: f.plan,
    members,
  };
  const model = new FathomModel(modelJson);
  const hash = await f.ctx.objects.put(canonicalJson(modelJson));
  // The training distribution of every feature and of the predictions, for drift monitoring.
  const treatments = new Map(f.plan.features.map((p) => [p.column, p.treatment]));
  const profile = await f.ctx.objects.put(canonicalJson(trainingProfile(data, treatments, data.task, oof)));
  const single = model.single();
  // SHAP is a summary for people, computed only with time to spare (4% of the budget).
  const spare =
    f.importanceStop === null ||
    f.req.timeBudgetMs === null ||
    f.importanceStop - Date.now() > 0.04 * f.req.timeBudgetMs;
  const shapImportance = spare ? shapSummary(model, data, f.req.seed) : null;
  f.say(`model saved${shapImportance ? ', SHAP summarised' : ''}`);
  const lb = outcome.leaderboard;
  const card: ModelCard = {
    name: f.name,
    createdAt: new Date().toISOString(),
    model: hash,
    profile,
    data: {
      source: f.source,
      table: f.req.table,
      fingerprint: f.tableFingerprint,
      rows: data.rows,
      rowsDropped: f.rowsDropped,
      metadataVersion: f.ctx.metadataVersion,
    },
    target: { column: f.req.column, task: data.task.kind, classes: data.task.classes ? [...data.task.classes] : null },
    features: {
      used: f.plan.features.map((p) => ({
        column: p.column,
        treatment: p.treatment,
        ...(p.categories ? { levels: p.categories.length } : {}),
      })),
      dropped: f.plan.dropped,
    },
    split: {
      kind: split.kind,
      folds: split.folds.length,
      seed: f.req.seed,
      timeColumn: f.req.timeColumn ?? null,
      groupColumn: f.req.groupColumn ?? null,
    },
    metric,
    metrics,
    ensemble: chosen.map((e, i) => ({
      trial: e.trial,
      family: e.family,
      params: e.params,
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
      reused: lb.filter((e) => e.reused).length,
      unitsUsed: outcome.unitsUsed,
    },
    time: { budgetMs: f.req.timeBudgetMs, budgetUnits: f.req.budgetUnits, usedMs: Date.now() - f.startedAt },
    warnings: leakageWarnings(metrics, importance.importances),
    description: single instanceof LinearModel ? single.describe() : null,
    ...(f.featureSet ? { featureSet: f.featureSet } : {}),
    ...(f.scoring ? { scoring: f.scoring } : {}),
  };
  for (const w of card.warnings) f.say(`warning: ${w}`);
  return {
    name: f.name,
    model: hash,
    card,
    leaderboard: lb.map((e) => ({ ...e, metricValue: finiteOrNull(e.metricValue), score: finiteOrNull(e.score) })),
  };
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

// The ledger stores canonical JSON, which has no NaN.
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
