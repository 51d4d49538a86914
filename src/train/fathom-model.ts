import type { Dataset, Model, Predictions, Task } from '../learn/dataset.js';
import { learnerFor, type Family } from '../learn/search/learners.js';
import type { Params } from '../learn/search/param-space.js';
import type { FeaturePlan } from '../features/feature-plan.js';

/** One member of the final ensemble. */
export interface MemberJson {
  readonly weight: number;
  readonly family: Family;
  readonly params: Params;
  /** Fingerprint of the trial this member came from. */
  readonly trial: string;
  /** 'refit': one model fitted on all rows; 'folds': the cross-validation models, averaged. */
  readonly fit: 'refit' | 'folds';
  readonly models: readonly unknown[];
}

/**
 * The saved model (our JSON format, content-addressed in the object store): the feature plan
 * that turns raw table columns into features, and a weighted ensemble of members.
 */
export interface FathomModelJson {
  readonly format: 'fathom.model';
  readonly version: 1;
  readonly task: Task;
  readonly target: string;
  readonly plan: FeaturePlan;
  readonly members: readonly MemberJson[];
}

/** The trained model as a `Model`: a weighted average of member predictions. */
export class FathomModel implements Model {
  readonly family: Model['family'];
  readonly task: Task;
  readonly featureNames: readonly string[];
  readonly members: ReadonlyArray<{ weight: number; models: Model[] }>;

  constructor(readonly json: FathomModelJson) {
    this.task = json.task;
    this.featureNames = json.plan.features.map((f) => f.column);
    this.members = json.members.map((m) => ({
      weight: m.weight,
      models: m.models.map((x) => learnerFor(m.family).fromJSON(x)),
    }));
    this.family = this.single()?.family ?? 'ensemble';
  }

  /** The one underlying model when the ensemble is a single refit model (exportable as is). */
  single(): Model | undefined {
    return this.members.length === 1 && this.members[0]!.models.length === 1 ? this.members[0]!.models[0] : undefined;
  }

  predict(data: Dataset): Predictions {
    return { task: this.task, rows: data.rows, values: blend(this.members, data) };
  }

  toJSON(): FathomModelJson {
    return this.json;
  }
}

/** Weighted average of members, each the plain average of its models. */
export function blend(
  members: ReadonlyArray<{ weight: number; models: readonly Model[] }>,
  data: Dataset,
): Float64Array {
  let out: Float64Array | null = null;
  for (const m of members) {
    for (const model of m.models) {
      const v = model.predict(data).values;
      out ??= new Float64Array(v.length);
      const w = m.weight / m.models.length;
      for (let i = 0; i < v.length; i++) out[i]! += w * v[i]!;
    }
  }
  return out ?? new Float64Array(0);
}

export function fathomModelFromJSON(json: unknown): FathomModel {
  const j = json as FathomModelJson;
  if (!j || j.format !== 'fathom.model' || j.version !== 1) throw new Error('not a fathom.model (version 1)');
  return new FathomModel(j);
}
