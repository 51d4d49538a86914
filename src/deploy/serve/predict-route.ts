import type { FastifyInstance } from 'fastify';
import type { Dataset } from '../../learn/dataset.js';
import { InputError, predictDataset, rowsToDataset, type Prediction } from '../served-model.js';
import type { ServedRecord } from '../serving-log.js';
import type { ServingModel } from './serving-models.js';
import { HttpError } from './http-errors.js';

export interface PredictBody {
  readonly rows?: ReadonlyArray<Record<string, unknown>>;
  readonly entities?: ReadonlyArray<Record<string, unknown>>;
}

export interface PredictResponse {
  readonly model: string;
  readonly version: number;
  readonly predictions: readonly Prediction[];
}

/** Writes the scored rows to the serving log without holding up the answer. */
export type Recorder = (
  m: ServingModel,
  mode: ServedRecord['mode'],
  entities: ReadonlyArray<Record<string, unknown>> | null,
  data: Dataset,
  predictions: readonly Prediction[],
) => void;

/**
 * A model name as a path segment: letters, digits and `._~-` stay, anything else becomes `_`
 * (column names may hold spaces, `/`, `:` or `;`, which Fastify's router reads as syntax or
 * does not decode back). `customers.churned` stays itself.
 */
export const pathSegment = (name: string): string => name.replace(/[^\p{L}\p{N}._~-]/gu, '_');

/** The URL path clients call (percent-encoded: non-ASCII letters). */
export const predictPath = (name: string): string => `/v1/models/${encodeURIComponent(pathSegment(name))}/predict`;

/** The request body's JSON Schema: rows or entities (exactly one, checked by the handler for a clearer message). */
export function predictBodySchema(m: ServingModel, maxRows: number): Record<string, unknown> {
  const list = (items: Record<string, unknown>) => ({ type: 'array', minItems: 1, maxItems: maxRows, items });
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      rows: {
        ...list(m.rowSchema),
        description: 'Feature rows, computed already: one object per row, every feature present (null when unknown).',
      },
      // Without a scoring plan entities are still accepted by the schema, so the handler can say why they don't work.
      entities: {
        ...list(m.entitySchema ?? { type: 'object' }),
        description: m.entitySchema
          ? 'Entity keys: the server computes their features from the sources.'
          : 'Not available: this model has no scoring plan.',
      },
    },
  };
}

export const EXPLAIN_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    explain: {
      type: 'string',
      enum: ['true', 'false', '1', '0'],
      description: 'true: add SHAP contributions (link scale) to each prediction',
    },
  },
} as const;

/**
 * Feature JSON is about 32 bytes per feature beyond its name; a request of the most rows
 * allowed must fit, so the body limit follows the model (Fastify's default 1 MiB holds ~200
 * rows of a 60-feature model).
 */
function bodyLimit(m: ServingModel, maxRows: number): number {
  const rowBytes = m.served.plan.features.reduce((s, f) => s + JSON.stringify(f.column).length + 32, 2);
  return maxRows * rowBytes + 64 * 1024;
}

/**
 * Work the server must finish before it closes its engines and the log: a handler runs on
 * after its client hung up (Fastify's close only waits for open connections).
 */
export type Tracker = <T>(work: Promise<T>) => Promise<T>;

/** `POST /v1/models/{name}/predict` for one model, its body validated against the model's own schema. */
export function registerPredictRoute(
  app: FastifyInstance,
  m: ServingModel,
  deps: { maxRows: number; record: Recorder; track: Tracker },
): void {
  const { served } = m;
  const name = served.version.name;
  // Registered unencoded: the router decodes request paths before matching.
  app.post<{ Body: PredictBody; Querystring: { explain?: string } }>(
    `/v1/models/${pathSegment(name)}/predict`,
    {
      bodyLimit: bodyLimit(m, deps.maxRows),
      schema: { body: predictBodySchema(m, deps.maxRows), querystring: EXPLAIN_QUERY },
    },
    (req) => deps.track(predict(req.body, req.query.explain)),
  );

  async function predict(body: PredictBody, explainFlag: string | undefined): Promise<PredictResponse> {
    const { rows, entities } = body;
    const explain = explainFlag === 'true' || explainFlag === '1';
    if (rows !== undefined && entities !== undefined)
      throw new HttpError(400, 'send "rows" or "entities", not both', { field: 'entities' });
    if (rows === undefined && entities === undefined) {
      throw new HttpError(400, `send "rows" (feature rows)${m.entitySchema ? ' or "entities" (entity keys)' : ''}`, {
        field: 'rows',
        hint: `e.g. {"rows":[{...}]}; the fields are in GET /openapi.json`,
      });
    }
    let data: Dataset;
    if (rows !== undefined) {
      data = asInput('rows', () => rowsToDataset(served.plan, rows));
    } else {
      if (!m.entities)
        throw new HttpError(
          400,
          `model ${name} has no scoring plan (it was trained on its table's own columns): send feature rows ("rows"), not entities`,
          { field: 'entities' },
        );
      data = await m.entities.features(entities!).catch((err: unknown) => {
        if (err instanceof InputError) throw inputHttpError('entities', err);
        throw new HttpError(
          503,
          `the features of the entities could not be computed from source ${JSON.stringify(served.scoring!.source)}: ${err instanceof Error ? err.message : String(err)}`,
          {
            hint: 'Check that the source is reachable (fathom sources); feature rows ("rows") still work.',
          },
        );
      });
    }
    const predictions = predictDataset(served, data, { explain });
    deps.record(m, rows !== undefined ? 'rows' : 'entities', entities ?? null, data, predictions);
    return { model: name, version: served.version.version, predictions };
  }
}

function asInput<T>(list: 'rows' | 'entities', build: () => T): T {
  try {
    return build();
  } catch (err) {
    throw err instanceof InputError ? inputHttpError(list, err) : err;
  }
}

function inputHttpError(list: 'rows' | 'entities', err: InputError): HttpError {
  return new HttpError(400, err.message, {
    field: err.field === null ? `${list}/${err.row}` : `${list}/${err.row}/${err.field}`,
    row: err.row,
  });
}
