import type { ServingModel } from './serving-models.js';
import { EXPLAIN_QUERY, predictBodySchema, predictPath } from './predict-route.js';

/** A name OpenAPI accepts as a component key (`^[a-zA-Z0-9._-]+$`). */
const componentName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_');

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string' },
    field: { type: 'string', description: 'Path of the bad field, e.g. rows/0/age' },
    row: { type: 'integer', description: 'Index of the bad row or entity' },
    hint: { type: 'string' },
  },
};

function predictionSchema(m: ServingModel): Record<string, unknown> {
  const task = m.served.model.task;
  const classes = task.classes ?? null;
  const label =
    task.kind === 'regression'
      ? { type: ['number', 'null'] }
      : { type: ['string', 'null'], ...(classes ? { enum: [...classes, null] } : {}) };
  return {
    type: 'object',
    required: ['prediction'],
    properties: {
      prediction: { ...label, description: task.kind === 'regression' ? 'The predicted value' : 'The predicted class' },
      ...(task.kind === 'binary'
        ? { probability: { type: ['number', 'null'], description: `Probability of ${JSON.stringify(classes![1])}` } }
        : {}),
      ...(task.kind !== 'regression'
        ? { probabilities: { type: 'object', additionalProperties: { type: 'number' } } }
        : {}),
      explanation: {
        type: 'object',
        description:
          'With ?explain=true: SHAP contributions on the link scale (log-odds for classification); base plus contributions is the model output',
        properties: {
          base: { type: 'number' },
          contributions: { type: 'object', additionalProperties: { type: 'number' } },
        },
      },
    },
  };
}

/** The OpenAPI 3.1 document of a server: one predict path per model, its request schema from the model's features. */
export function openApiDocument(
  models: readonly ServingModel[],
  options: { maxRows: number; auth: boolean; version: string },
): Record<string, unknown> {
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA };
  const paths: Record<string, unknown> = {};
  const security = options.auth ? [{ bearer: [] }] : [];
  const errors = {
    400: {
      description: 'Bad request: the body names the field',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    },
    ...(options.auth
      ? {
          401: {
            description: 'Missing or wrong bearer token',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        }
      : {}),
  };
  paths['/health'] = {
    get: { summary: 'Liveness: ok, the served models, uptime', responses: { 200: { description: 'Serving' } } },
  };
  paths['/v1/models'] = {
    get: {
      summary: 'The served model versions, their metrics and inputs',
      security,
      responses: { 200: { description: 'The served versions' } },
    },
  };
  for (const m of models) {
    const v = m.served.version;
    const c = componentName(v.name);
    schemas[`${c}.Row`] = m.rowSchema;
    if (m.entitySchema) schemas[`${c}.Entity`] = m.entitySchema;
    schemas[`${c}.Prediction`] = predictionSchema(m);
    const body = predictBodySchema(m, options.maxRows) as { properties: Record<string, Record<string, unknown>> };
    const request = {
      type: 'object',
      additionalProperties: false,
      description: m.entitySchema ? 'Exactly one of rows and entities' : 'Feature rows',
      properties: {
        rows: { ...body.properties.rows, items: { $ref: `#/components/schemas/${c}.Row` } },
        ...(m.entitySchema
          ? { entities: { ...body.properties.entities, items: { $ref: `#/components/schemas/${c}.Entity` } } }
          : {}),
      },
    };
    paths[predictPath(v.name)] = {
      post: {
        summary: `Predict ${v.target.column} of ${v.target.table} (${v.name} version ${v.version}, ${v.task})`,
        operationId: `predict_${c.replace(/[^A-Za-z0-9_]/g, '_')}`,
        security,
        parameters: [{ name: 'explain', in: 'query', required: false, schema: EXPLAIN_QUERY.properties.explain }],
        requestBody: { required: true, content: { 'application/json': { schema: request } } },
        responses: {
          200: {
            description: 'One prediction per row or entity, in order',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['model', 'version', 'predictions'],
                  properties: {
                    model: { const: v.name },
                    version: { const: v.version },
                    predictions: { type: 'array', items: { $ref: `#/components/schemas/${c}.Prediction` } },
                  },
                },
              },
            },
          },
          ...errors,
          404: {
            description: 'No such model served',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
          503: {
            description: 'The sources could not compute entity features',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fathom model server',
      version: options.version,
      description: 'Predictions of the registered models Fathom serves.',
    },
    paths,
    components: {
      schemas,
      ...(options.auth ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {}),
    },
  };
}
