import type { ColumnInfo, Engine } from '../engine/engine.js';
import { readColumns } from '../engine/read-columns.js';
import { auc } from '../learn/eval/metrics.js';
import { pearson } from '../explore/associations.js';
import { trainGbdt } from '../learn/gbdt/index.js';
import type { LabelledDataset, TaskKind } from '../learn/dataset.js';
import { buildFeatures, planFeatures } from './feature-plan.js';
import { targetValues } from './infer-task.js';
import { featureColumnType, LOGICAL_OF } from './matrix-column.js';
import type { DroppedFeature, FeatureDef, FeatureSelection, RankedFeature } from '../catalog/feature-types.js';

/** A feature null in more than this share of rows is dropped. */
export const MAX_NULL_SHARE = 0.95;
/** Two features this correlated (|Pearson r|) carry the same information: the later one goes. */
export const DUPLICATE_CORRELATION = 0.995;
/** A single feature separating the classes this well (|AUC − 0.5|) is too good to be true. */
const LEAK_AUC_MARGIN = 0.49;
const SAMPLE_ROWS = 20_000;

export interface SelectionInput {
  /** An engine where `matrixSql` (a relation: the matrix) can be read. */
  readonly engine: Engine;
  readonly matrixSql: string;
  readonly rows: number;
  readonly features: readonly FeatureDef[];
  readonly target: string;
  readonly task: TaskKind;
  readonly maxFeatures: number;
  readonly seed: number;
}

/**
 * Keep the features worth training on: drop leakage suspects, constant and mostly-null ones
 * (measured over the whole matrix in SQL), near-duplicates and near-perfect single predictors
 * (on a sample), then rank the rest by a probe GBDT's split gain on the sample and keep the top.
 */
export async function selectFeatures(input: SelectionInput): Promise<FeatureSelection> {
  const { engine, features } = input;
  const d = engine.dialect;
  const dropped: DroppedFeature[] = [];
  const drop = (name: string, reason: string) => dropped.push({ name, reason });
  let alive = features.filter((f) =>
    f.leakage === undefined ? true : (drop(f.name, `leakage suspect: ${f.leakage}`), false),
  );

  const stats =
    alive.length === 0
      ? {}
      : (
          await engine.query(
            `SELECT ${alive.map((f, i) => `COUNT(${d.quoteIdent(f.name)}) AS n${i}, COUNT(DISTINCT ${d.quoteIdent(f.name)}) AS d${i}`).join(', ')} FROM ${input.matrixSql}`,
          )
        ).rows[0]!;
  alive = alive.filter((f, i) => {
    const present = Number(stats[`n${i}`]);
    if (input.rows > 0 && 1 - present / input.rows > MAX_NULL_SHARE)
      return (drop(f.name, `missing in ${(100 * (1 - present / input.rows)).toFixed(1)}% of rows`), false);
    if (Number(stats[`d${i}`]) <= 1) return (drop(f.name, 'constant'), false);
    return true;
  });

  const sampleSql = d.sample(input.matrixSql, SAMPLE_ROWS, input.seed, input.rows);
  const names = [input.target, ...alive.map((f) => f.name)];
  const sample = await readColumns(
    engine,
    `SELECT ${names.map((n) => d.quoteIdent(n)).join(', ')} FROM (${sampleSql}) AS fathom_sample`,
  );
  const info: ColumnInfo[] = sample.columns.map((c, i) => ({
    name: names[i]!,
    physicalType: '',
    logicalType: logicalOf(alive[i - 1], c.kind),
    nullable: true,
  }));
  const target = targetValues(input.target, info[0]!, sample.columns[0]!, sample.rows, input.task);
  const plan = planFeatures(info.slice(1), sample.columns.slice(1), sample.rows, new Map());
  for (const p of plan.dropped) {
    drop(p.column, p.reason);
  }
  const data: LabelledDataset = {
    rows: target.keep.length,
    features: buildFeatures(plan, sample.columns.slice(1), sample.rows, target.keep),
    task: target.task,
    target: target.target,
    targetName: input.target,
  };

  const kept = dropNearPerfectAndDuplicates(data, drop);
  const probe = await trainGbdt(
    { ...data, features: data.features.filter((f) => kept.has(f.name)) },
    {
      objective: data.task.kind === 'regression' ? 'regression' : data.task.kind,
      numRounds: 60,
      learningRate: 0.1,
      numLeaves: 15,
      minDataInLeaf: 20,
      seed: input.seed,
      featureFraction: 0.8,
    },
    { threads: 1 },
  );
  const gains = probe.importance('gain');
  const total = gains.reduce((s, g) => s + g.value, 0) || 1;
  const ranking: RankedFeature[] = gains
    .map((g) => ({ name: g.feature, gain: g.value / total }))
    .sort((a, b) => b.gain - a.gain || order(features, a.name) - order(features, b.name));
  const top = ranking.filter((r) => r.gain > 0).slice(0, input.maxFeatures);
  const keep = new Set(top.map((r) => r.name));
  for (const r of ranking) {
    if (keep.has(r.name)) continue;
    drop(
      r.name,
      r.gain > 0
        ? `ranked below the top ${input.maxFeatures} by gain`
        : `no gain in the ranking probe (GBDT on ${data.rows} rows)`,
    );
  }
  return { kept: features.filter((f) => keep.has(f.name)).map((f) => f.name), dropped, ranking, sampleRows: data.rows };
}

function order(features: readonly FeatureDef[], name: string): number {
  return features.findIndex((f) => f.name === name);
}

function logicalOf(f: FeatureDef | undefined, kind: string): ColumnInfo['logicalType'] {
  if (f === undefined) return kind === 'number' ? 'float' : 'string';
  return LOGICAL_OF[featureColumnType(f.kind)];
}

/**
 * On the sample: a numeric feature that alone separates the classes almost perfectly (or
 * almost equals a regression target) is a leak; of two almost perfectly correlated features
 * the earlier (shallower) one stays. Returns the names kept.
 */
function dropNearPerfectAndDuplicates(
  data: LabelledDataset,
  drop: (name: string, reason: string) => void,
): Set<string> {
  const kept = new Set(data.features.map((f) => f.name));
  const numeric = data.features.filter((f) => f.kind === 'numeric');
  for (const f of numeric) {
    const rows = Array.from({ length: data.rows }, (_, i) => i).filter((i) => !Number.isNaN(f.values[i]!));
    if (rows.length < 20) continue;
    const strength =
      data.task.kind === 'binary'
        ? Math.abs(
            auc(
              rows,
              (i) => f.values[i]!,
              (i) => data.target[i] === 1,
            ) - 0.5,
          ) * 2
        : data.task.kind === 'regression'
          ? Math.abs(pearson(f.values, data.target) ?? 0)
          : 0;
    if (strength >= LEAK_AUC_MARGIN * 2) {
      drop(
        f.name,
        `near-perfect predictor of the target on its own (${data.task.kind === 'binary' ? `AUC ${(0.5 + strength / 2).toFixed(3)}` : `r ${strength.toFixed(3)}`}): a leak`,
      );
      kept.delete(f.name);
    }
  }
  const survivors = numeric.filter((f) => kept.has(f.name));
  for (let j = 1; j < survivors.length; j++) {
    for (let i = 0; i < j; i++) {
      if (!kept.has(survivors[i]!.name)) continue;
      const r = pearson(survivors[i]!.values, survivors[j]!.values) ?? 0;
      if (Math.abs(r) >= DUPLICATE_CORRELATION) {
        drop(survivors[j]!.name, `near-duplicate of ${survivors[i]!.name} (r = ${r.toFixed(4)})`);
        kept.delete(survivors[j]!.name);
        break;
      }
    }
  }
  return kept;
}
