import type { Workspace } from '../workspace/open-workspace.js';
import type { Dataset, Feature } from '../learn/dataset.js';
import type { ColumnData, Columns } from '../engine/read-columns.js';
import type { Engine, SqlValue } from '../engine/engine.js';
import type { ModelCard } from '../train/model-card.js';
import type { FeaturePlan, PlannedFeature } from '../features/feature-plan.js';
import { buildFeatures } from '../features/feature-plan.js';
import { FathomModel, fathomModelFromJSON } from '../train/fathom-model.js';
import { explainModel } from '../train/explain-model.js';
import { keyKind, scoreEntitiesWith, type Entity, type ScoringPlan } from '../features/scoring-plan.js';
import { readModelCard, type ModelVersion } from './model-registry.js';
import { predictedClass } from '../train/training-profile.js';
import { badInput } from '../util/fathom-error.js';

/** A registered model version loaded for scoring: the model, its card, and how to get its inputs. */
export interface ServedModel {
  readonly version: ModelVersion;
  readonly card: ModelCard;
  readonly model: FathomModel;
  readonly plan: FeaturePlan;
  /** Computes the features from entity keys (models trained on a feature matrix); null otherwise. */
  readonly scoring: ScoringPlan | null;
}

export async function loadServedModel(ws: Workspace, version: ModelVersion): Promise<ServedModel> {
  const card = await readModelCard(ws, version);
  const model = fathomModelFromJSON(await (await ws.objects()).getJson(version.model));
  return { version, card, model, plan: model.json.plan, scoring: card.scoring ?? null };
}

/** One prediction, as the API and batch scoring return it. */
export interface Prediction {
  /** The predicted class label, or the regression value. */
  readonly prediction: string | number | null;
  /** binary: the positive class's probability. */
  readonly probability?: number;
  /** binary and multiclass: every class's probability. */
  readonly probabilities?: Readonly<Record<string, number>>;
  /** With explain: SHAP contributions on the link scale (log-odds or value), per feature, and the base. */
  readonly explanation?: { readonly base: number; readonly contributions: Readonly<Record<string, number>> };
}

/** A row or field a request got wrong: which, and why. */
export class InputError extends Error {
  constructor(
    readonly row: number,
    readonly field: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * Feature rows (objects keyed by feature name) as a dataset, checked against the plan: every
 * feature must be present (null for missing), numbers numeric, booleans boolean (or 0/1),
 * datetimes parseable, and no unknown field. Categorical levels not seen in training read as
 * missing, as they did in training.
 */
export function rowsToDataset(plan: FeaturePlan, rows: ReadonlyArray<Readonly<Record<string, unknown>>>): Dataset {
  const known = new Set(plan.features.map((f) => f.column));
  rows.forEach((row, r) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw new InputError(r, null, `row ${r} must be an object of feature values`);
    for (const field of Object.keys(row))
      if (!known.has(field))
        throw new InputError(
          r,
          field,
          `row ${r}: unknown field ${JSON.stringify(field)}; the model's features are listed in its OpenAPI schema`,
        );
  });
  const columns: ColumnData[] = plan.features.map((f) => featureColumn(f, rows));
  return { rows: rows.length, features: buildFeatures(plan, columns, rows.length) };
}

function featureColumn(f: PlannedFeature, rows: ReadonlyArray<Readonly<Record<string, unknown>>>): ColumnData {
  const data: SqlValue[] = rows.map((row, r) => {
    if (!(f.column in row))
      throw new InputError(
        r,
        f.column,
        `row ${r}: missing field ${JSON.stringify(f.column)} (send null when the value is unknown)`,
      );
    return checkValue(f, row[f.column], r);
  });
  return { name: f.column, kind: 'values', data };
}

function checkValue(f: PlannedFeature, v: unknown, r: number): SqlValue {
  if (v === null) return null;
  const bad = (want: string) =>
    new InputError(
      r,
      f.column,
      `row ${r}: field ${JSON.stringify(f.column)} must be ${want} or null, got ${JSON.stringify(v)}`,
    );
  switch (f.treatment) {
    case 'numeric':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad('a finite number');
      return v;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 0 || v === 1) return v === 1;
      throw bad('true, false, 0 or 1');
    case 'datetime': {
      const ms = typeof v === 'string' ? parseInstant(v) : Number.NaN;
      if (Number.isNaN(ms)) throw bad('an ISO 8601 date or time');
      return new Date(ms).toISOString();
    }
    case 'categorical':
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
      throw bad('a string');
  }
}

/** ISO 8601; a date or time without a zone is UTC (as engines return them), not local time. */
export function parseInstant(text: string): number {
  const t = text.trim();
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(t) || !/\d[ T]\d/.test(t) ? t : `${t.replace(' ', 'T')}Z`;
  return /^\d{4}-\d\d-\d\d/.test(t) ? Date.parse(zoned) : Number.NaN;
}

/**
 * Feature columns computed by a scoring plan (or read from a file) as a dataset. Engines differ
 * in form (SQLite gives booleans as 0/1 and dates as text): values are normalised per treatment.
 */
export function columnsToDataset(plan: FeaturePlan, cols: Columns): Dataset {
  const byName = new Map(cols.columns.map((c) => [c.name, c]));
  const features: Feature[] = buildFeatures(
    plan,
    plan.features.map((f): ColumnData => {
      const c = byName.get(f.column);
      if (!c)
        throw badInput(
          `The input has no column ${JSON.stringify(f.column)}, a feature of the model`,
          'Give every feature the model card lists, or score by entity keys.',
        );
      if (f.treatment !== 'datetime' || c.kind === 'number') return c;
      return {
        name: c.name,
        kind: 'values',
        data: c.data.map((v) => (v === null ? null : new Date(parseInstant(String(v))).toISOString())),
      };
    }),
    cols.rows,
  );
  return { rows: cols.rows, features };
}

/** Predict (and optionally explain) every row of a dataset built for this model. */
export function predictDataset(m: ServedModel, data: Dataset, options: { explain?: boolean } = {}): Prediction[] {
  const task = m.model.task;
  const values = m.model.predict(data).values;
  const shap = options.explain ? explainModel(m.model, data) : null;
  const out: Prediction[] = [];
  for (let r = 0; r < data.rows; r++) {
    let p: Prediction;
    if (task.kind === 'regression') {
      p = { prediction: finite(values[r]!) };
    } else if (task.kind === 'binary') {
      const pos = values[r]!;
      p = {
        prediction: Number.isNaN(pos) ? null : task.classes![pos >= 0.5 ? 1 : 0]!,
        probability: pos,
        probabilities: { [task.classes![0]!]: 1 - pos, [task.classes![1]!]: pos },
      };
    } else {
      const k = task.classes!.length;
      const probabilities: Record<string, number> = {};
      task.classes!.forEach((c, i) => (probabilities[c] = values[r * k + i]!));
      p = { prediction: predictedClass(task, values, r), probabilities };
    }
    if (shap) {
      // Multiclass: the explanation of the predicted class's output.
      const k = task.kind === 'multiclass' ? Math.max(0, task.classes!.indexOf(String(p.prediction))) : 0;
      const F = shap.features.length;
      const contributions: Record<string, number> = {};
      shap.features.forEach((f, i) => (contributions[f] = shap.contributions[(r * shap.outputs + k) * F + i]!));
      p = { ...p, explanation: { base: shap.bias[r * shap.outputs + k]!, contributions } };
    }
    out.push(p);
  }
  return out;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** JSON Schema of one feature row: every feature required, nullable, typed by its treatment. */
export function featureRowSchema(plan: FeaturePlan): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of plan.features) {
    properties[f.column] =
      f.treatment === 'numeric'
        ? { type: ['number', 'null'] }
        : f.treatment === 'boolean'
          ? { type: ['boolean', 'integer', 'null'], enum: [true, false, 0, 1, null] }
          : f.treatment === 'datetime'
            ? { type: ['string', 'null'], description: 'ISO 8601 date or time (UTC when no zone is given)' }
            : {
                type: ['string', 'null'],
                ...(f.categories && f.categories.length <= 50
                  ? { description: `levels seen in training: ${f.categories.join(', ')}` }
                  : {}),
              };
  }
  return { type: 'object', additionalProperties: false, required: plan.features.map((f) => f.column), properties };
}

/** JSON Schema of one entity (its key columns and an optional cutoff), or null without a scoring plan. */
export function entitySchema(scoring: ScoringPlan | null): Record<string, unknown> | null {
  if (!scoring) return null;
  const properties: Record<string, unknown> = {};
  scoring.key.forEach(
    (k, i) => (properties[k] = { type: keyKind(scoring.keyTypes[i]!) === 'text' ? 'string' : 'number' }),
  );
  if (scoring.cutoff.kind !== 'none')
    properties.cutoff = {
      type: 'string',
      description: 'ISO 8601 instant: features use only data strictly before it (default: now)',
    };
  return { type: 'object', additionalProperties: false, required: [...scoring.key], properties };
}

/** Entity objects (key columns, optional cutoff) as scoring-plan entities, checked field by field. */
export function toEntities(scoring: ScoringPlan, rows: ReadonlyArray<Readonly<Record<string, unknown>>>): Entity[] {
  const allowed = new Set([...scoring.key, 'cutoff']);
  return rows.map((row, r) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw new InputError(r, null, `entity ${r} must be an object holding ${scoring.key.join(', ')}`);
    for (const field of Object.keys(row))
      if (!allowed.has(field))
        throw new InputError(
          r,
          field,
          `entity ${r}: unknown field ${JSON.stringify(field)}; an entity holds ${[...allowed].join(', ')}`,
        );
    const key = scoring.key.map((k): SqlValue => {
      const v = row[k];
      if (typeof v === 'number' || typeof v === 'string') return v;
      throw new InputError(
        r,
        k,
        `entity ${r}: field ${JSON.stringify(k)} (the key of ${scoring.table}) must be a number or a string, got ${JSON.stringify(v)}`,
      );
    });
    const cutoff = row.cutoff;
    if (cutoff !== undefined && cutoff !== null && (typeof cutoff !== 'string' || Number.isNaN(parseInstant(cutoff)))) {
      throw new InputError(
        r,
        'cutoff',
        `entity ${r}: field "cutoff" must be an ISO 8601 date or time, got ${JSON.stringify(cutoff)}`,
      );
    }
    return { key, ...(typeof cutoff === 'string' ? { cutoff: new Date(parseInstant(cutoff)).toISOString() } : {}) };
  });
}

/** Compute the features of entities with the model's scoring plan on an open engine. */
export async function entityDataset(
  engine: Engine,
  m: ServedModel,
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  now?: Date,
): Promise<Dataset> {
  if (!m.scoring)
    throw new InputError(
      0,
      null,
      `model ${m.version.name} was trained on its table's columns, not on features of related tables: send feature rows ("rows"), not entities`,
    );
  return columnsToDataset(m.plan, await scoreEntitiesWith(engine, m.scoring, toEntities(m.scoring, rows), now));
}
