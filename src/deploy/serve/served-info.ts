import type { ServingModel } from './serving-models.js';
import { predictPath } from './predict-route.js';

/** What `GET /v1/models` says of one served version. */
export interface ServedInfo {
  readonly name: string;
  readonly version: number;
  readonly stage: string;
  readonly task: string;
  readonly classes: readonly string[] | null;
  readonly metric: string;
  readonly metrics: Readonly<Record<string, { mean: number; std: number }>>;
  readonly target: { readonly source: string; readonly table: string; readonly column: string };
  /** The feature fields a row holds, with how the model treats each. */
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly treatment: string }>;
  /** Entity requests: the key fields and whether a cutoff may be given; null when the model has no scoring plan. */
  readonly entities: { readonly key: readonly string[]; readonly cutoff: boolean } | null;
  readonly predict: string;
}

export function servedInfo(m: ServingModel): ServedInfo {
  const v = m.served.version;
  const s = m.served.scoring;
  return {
    name: v.name,
    version: v.version,
    stage: v.stage,
    task: v.task,
    classes: m.served.card.target.classes,
    metric: v.metric,
    metrics: v.metrics,
    target: v.target,
    inputs: m.served.plan.features.map((f) => ({ name: f.column, treatment: f.treatment })),
    entities: s ? { key: [...s.key], cutoff: s.cutoff.kind !== 'none' } : null,
    predict: predictPath(v.name),
  };
}
