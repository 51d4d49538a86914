import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { trainedShop } from '../deploy.fixture.js';
import { openWorkspace, type Workspace } from '../../workspace/open-workspace.js';
import { readModelCard, registerModel, resolveModelVersion } from '../model-registry.js';
import { entityDataset, loadServedModel, predictDataset, rowsToDataset, type ServedModel } from '../served-model.js';
import { openServingEngine } from '../scoring-engine.js';
import { readServingLog } from '../serving-log.js';
import { createServer } from './create-server.js';
import { getJson, listenLocal, postJson } from './serve.fixture.js';

// One trained project (~15 s) for every test of this file; the server is opened once too.
let dir: string;
let ws: Workspace;
let app: FastifyInstance;
let base: string;
let served: ServedModel;
const PREDICT = '/v1/models/customers.churned/predict';
const CUTOFF = '2025-06-30T00:00:00.000Z';
/** The same cutoff for the server and the direct call: the default (now) moves between them. */
const ENTITIES = [
  { customer_id: 1, cutoff: CUTOFF },
  { customer_id: 17, cutoff: CUTOFF },
  { customer_id: 2500, cutoff: '2024-01-01' },
  { customer_id: 999999, cutoff: CUTOFF },
];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fathom-serve-predict-'));
  const { env } = await trainedShop(dir, { promote: true });
  ws = await openWorkspace(dir, { env });
  served = await loadServedModel(ws, await resolveModelVersion(ws, 'customers.churned'));
  app = await createServer(ws, { host: '127.0.0.1' }, { warn: () => {} });
  base = await listenLocal(app);
});

after(async () => {
  await app?.close();
  await ws?.close();
  if (!process.env.FATHOM_KEEP_TMP) await rm(dir, { recursive: true, force: true });
});

/** A feature row of the model: the features of a real entity, read back as the API takes them. */
function rowOf(r: number, data: Awaited<ReturnType<typeof entityDataset>>): Record<string, unknown> {
  return Object.fromEntries(
    data.features.map((f) => {
      if (f.kind === 'categorical') return [f.name, f.codes[r]! < 0 ? null : f.categories[f.codes[r]!]!];
      const v = f.values[r]!;
      return [f.name, Number.isNaN(v) ? null : v];
    }),
  );
}

describe('predict over HTTP', () => {
  it('answers entity requests exactly as predictDataset on entityDataset for the same keys', async () => {
    const engine = (await openServingEngine(ws, served.scoring!)).engine;
    let expected;
    try {
      expected = predictDataset(served, await entityDataset(engine, served, ENTITIES));
    } finally {
      await engine.close();
    }
    const r = await postJson(base + PREDICT, { entities: ENTITIES });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.model, 'customers.churned');
    assert.equal(r.body.version, 1);
    assert.equal(r.body.predictions.length, ENTITIES.length);
    assert.deepEqual(r.body.predictions, JSON.parse(JSON.stringify(expected)));
    // Not all alike: the keys really were looked up.
    assert.ok(new Set(r.body.predictions.map((p: { probability: number }) => p.probability)).size > 1);
  });

  it('answers concurrent entity requests (batched into shared queries) each with its own entities', async () => {
    const requests = Array.from({ length: 8 }, (_, i) => [
      { customer_id: 100 + i * 7, cutoff: CUTOFF },
      { customer_id: 2000 + i, cutoff: '2024-03-01' },
    ]);
    const engine = (await openServingEngine(ws, served.scoring!)).engine;
    let expected;
    try {
      expected = predictDataset(served, await entityDataset(engine, served, requests.flat()));
    } finally {
      await engine.close();
    }
    // One bad request among them fails alone.
    const answers = await Promise.all([
      ...requests.map((entities) => postJson(base + PREDICT, { entities })),
      postJson(base + PREDICT, { entities: [{ customer_id: 1, cutoff: 'soon' }] }),
    ]);
    assert.equal(answers[8]!.status, 400);
    assert.equal(answers[8]!.body.field, 'entities/0/cutoff');
    answers.slice(0, 8).forEach((r, i) => {
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.predictions, JSON.parse(JSON.stringify(expected.slice(2 * i, 2 * i + 2))));
    });
  });

  it('answers feature rows, the same as for the entity they came from', async () => {
    const engine = (await openServingEngine(ws, served.scoring!)).engine;
    let data;
    try {
      data = await entityDataset(engine, served, ENTITIES.slice(0, 2));
    } finally {
      await engine.close();
    }
    const rows = [rowOf(0, data), rowOf(1, data)];
    const r = await postJson(base + PREDICT, { rows });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      r.body.predictions,
      JSON.parse(JSON.stringify(predictDataset(served, rowsToDataset(served.plan, rows)))),
    );
    const viaEntities = await postJson(base + PREDICT, { entities: ENTITIES.slice(0, 2) });
    assert.deepEqual(
      r.body.predictions.map((p: { probability: number }) => p.probability),
      viaEntities.body.predictions.map((p: { probability: number }) => p.probability),
    );
  });

  it('explains a single GBDT: contributions plus base equal the logit of the probability', async () => {
    // The fixture's model is an ensemble of GBDT members; a version holding only its first
    // tree model is registered and served, so the sum is one model's own margin.
    const single = await registerSingleGbdt();
    const own = await createServer(
      ws,
      { host: '127.0.0.1', models: [`customers.churned@${single}`] },
      { warn: () => {} },
    );
    try {
      const url = await listenLocal(own);
      const r = await postJson(`${url}${PREDICT}?explain=true`, { entities: ENTITIES });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.version, single);
      for (const p of r.body.predictions as Explained[]) {
        assert.deepEqual(
          Object.keys(p.explanation.contributions).sort(),
          served.plan.features.map((f) => f.column).sort(),
        );
        const margin = p.explanation.base + Object.values(p.explanation.contributions).reduce((s, c) => s + c, 0);
        assert.ok(Math.abs(margin - logit(p.probability)) < 1e-9, `${margin} vs logit(${p.probability})`);
      }
    } finally {
      await own.close();
    }
  });

  it("explains the ensemble: contributions plus base equal the weighted mean of its members' margins", async () => {
    const r = await postJson(`${base}${PREDICT}?explain=true`, { entities: ENTITIES });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const engine = (await openServingEngine(ws, served.scoring!)).engine;
    let data;
    try {
      data = await entityDataset(engine, served, ENTITIES);
    } finally {
      await engine.close();
    }
    (r.body.predictions as Explained[]).forEach((p, row) => {
      let expected = 0;
      for (const m of served.model.members)
        for (const one of m.models) expected += (m.weight / m.models.length) * logit(one.predict(data).values[row]!);
      const margin = p.explanation.base + Object.values(p.explanation.contributions).reduce((s, c) => s + c, 0);
      assert.ok(Math.abs(margin - expected) < 1e-9, `${margin} vs ${expected}`);
    });
    const plain = await postJson(`${base}${PREDICT}?explain=false`, { entities: ENTITIES.slice(0, 1) });
    assert.equal(plain.body.predictions[0].explanation, undefined);
  });
});

interface Explained {
  probability: number;
  explanation: { base: number; contributions: Record<string, number> };
}

const logit = (p: number): number => Math.log(p / (1 - p));

/** Register, as the next version, the fixture model cut down to its first GBDT model. */
async function registerSingleGbdt(): Promise<number> {
  const json = served.model.json;
  const first = json.members[0]!;
  assert.equal(first.family, 'gbdt');
  const model = { ...json, members: [{ ...first, weight: 1, fit: 'refit' as const, models: [first.models[0]] }] };
  const hash = await (await ws.objects()).putJson(model);
  const card = await readModelCard(ws, served.version);
  const { version } = await registerModel(
    ws,
    { ...card, model: hash, ensemble: [{ ...card.ensemble[0]!, weight: 1, fit: 'refit' }] },
    'tester',
  );
  return version.version;
}

describe('bad requests get 400 naming the field', () => {
  const row = (): Record<string, unknown> => Object.fromEntries(served.plan.features.map((f) => [f.column, null]));
  const cases: Array<[string, () => unknown, string]> = [
    ['bad JSON', () => '{"rows": [', 'body'],
    ['a body that is not an object', () => [1, 2], 'body'],
    [
      'a number where a number feature belongs, sent as text',
      () => ({ rows: [row(), { ...row(), age: 'forty' }] }),
      'rows/1/age',
    ],
    ['a categorical feature sent as an object', () => ({ rows: [{ ...row(), plan: { x: 1 } }] }), 'rows/0/plan'],
    [
      'a missing feature',
      () => ({ rows: [Object.fromEntries(Object.entries(row()).filter(([k]) => k !== 'age'))] }),
      'rows/0/age',
    ],
    ['an unknown feature', () => ({ rows: [{ ...row(), shoe_size: 42 }] }), 'rows/0/shoe_size'],
    ['an unknown top-level field', () => ({ rows: [row()], limit: 3 }), 'limit'],
    ['both rows and entities', () => ({ rows: [row()], entities: [{ customer_id: 1 }] }), 'entities'],
    ['neither rows nor entities', () => ({}), 'rows'],
    ['an empty list of rows', () => ({ rows: [] }), 'rows'],
    ['an empty list of entities', () => ({ entities: [] }), 'entities'],
    ['rows that are not a list', () => ({ rows: row() }), 'rows'],
    ['a row that is not an object', () => ({ rows: [row(), 7] }), 'rows/1'],
    ['an entity key of the wrong type', () => ({ entities: [{ customer_id: 'seventeen' }] }), 'entities/0/customer_id'],
    ['an entity without its key', () => ({ entities: [{ cutoff: CUTOFF }] }), 'entities/0/customer_id'],
    ['an unknown entity field', () => ({ entities: [{ customer_id: 1, age: 3 }] }), 'entities/0/age'],
    [
      'a cutoff that is no date',
      () => ({ entities: [{ customer_id: 1 }, { customer_id: 2, cutoff: 'last tuesday' }] }),
      'entities/1/cutoff',
    ],
    ['a datetime-less feature value that is not finite', () => ({ rows: [{ ...row(), age: '1e999' }] }), 'rows/0/age'],
  ];
  for (const [label, body, field] of cases) {
    it(label, async () => {
      const r = await postJson(base + PREDICT, body());
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.field, field, JSON.stringify(r.body));
      assert.equal(typeof r.body.error, 'string');
      assert.ok(!/\n\s+at /.test(JSON.stringify(r.body)), 'no stack trace');
    });
  }

  it('a bad explain flag names the query parameter', async () => {
    const r = await postJson(`${base}${PREDICT}?explain=yes`, { entities: [{ customer_id: 1 }] });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'explain');
  });

  it('more rows than --max-rows allows', async () => {
    const small = await createServer(ws, { host: '127.0.0.1', maxRows: 2 }, { warn: () => {} });
    try {
      const url = await listenLocal(small);
      const r = await postJson(url + PREDICT, {
        entities: [{ customer_id: 1 }, { customer_id: 2 }, { customer_id: 3 }],
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.field, 'entities');
      assert.match(r.body.error, /more than 2/);
    } finally {
      await small.close();
    }
  });

  it('an unknown model gets 404 listing the served ones', async () => {
    const r = await postJson(`${base}/v1/models/customers.age/predict`, { rows: [row()] });
    assert.equal(r.status, 404);
    assert.deepEqual(r.body.served, ['customers.churned']);
    assert.match(r.body.error, /customers\.age/);
  });
});

describe('describing the service', () => {
  it('GET /v1/models lists the served version, its metrics and inputs', async () => {
    const r = await getJson(`${base}/v1/models`);
    assert.equal(r.status, 200);
    const [m] = r.body.models;
    assert.equal(r.body.models.length, 1);
    assert.equal(m.name, 'customers.churned');
    assert.equal(m.version, 1);
    assert.equal(m.stage, 'production');
    assert.equal(m.task, 'binary');
    assert.ok(m.metrics.auc.mean > 0.5);
    assert.deepEqual(
      m.inputs.map((i: { name: string }) => i.name),
      served.plan.features.map((f) => f.column),
    );
    assert.deepEqual(m.entities, { key: ['customer_id'], cutoff: true });
  });

  it('GET /health says ok and what is served', async () => {
    const r = await getJson(`${base}/health`);
    assert.equal(r.status, 200);
    assert.equal(r.body.ok, true);
    assert.deepEqual(r.body.models, ['customers.churned@1']);
    assert.equal(typeof r.body.uptimeSeconds, 'number');
  });

  it('GET /openapi.json documents each model with its feature schema', async () => {
    const r = await getJson(`${base}/openapi.json`);
    assert.equal(r.status, 200);
    assert.match(r.body.openapi, /^3\./);
    const op = r.body.paths[PREDICT].post;
    assert.ok(op, 'the predict path is documented');
    const rowSchema = r.body.components.schemas['customers.churned.Row'];
    assert.deepEqual(
      rowSchema.required,
      served.plan.features.map((f) => f.column),
    );
    assert.deepEqual(rowSchema.properties.age.type, ['number', 'null']);
    assert.deepEqual(Object.keys(r.body.components.schemas['customers.churned.Entity'].properties).sort(), [
      'customer_id',
      'cutoff',
    ]);
    assert.equal(
      op.requestBody.content['application/json'].schema.properties.rows.items.$ref,
      '#/components/schemas/customers.churned.Row',
    );
  });
});

describe('the serving log', () => {
  it('gets one line per scored row, rows and entities, flushed on close', async () => {
    const own = await createServer(ws, { host: '127.0.0.1' }, { warn: () => {} });
    const url = await listenLocal(own);
    const before = await count();
    const row = Object.fromEntries(served.plan.features.map((f) => [f.column, null]));
    assert.equal((await postJson(url + PREDICT, { rows: [row, row, row] })).status, 200);
    assert.equal((await postJson(url + PREDICT, { entities: ENTITIES.slice(0, 2) })).status, 200);
    await own.close();
    const records = [];
    for await (const r of readServingLog(ws, 'customers.churned')) records.push(r);
    // The shared server (other tests) may have logged too, but has not flushed; only ours is on disk for sure.
    assert.ok(records.length - before >= 5);
    const ours = records.slice(-5);
    assert.deepEqual(
      ours.map((r) => r.mode),
      ['rows', 'rows', 'rows', 'entities', 'entities'],
    );
    assert.deepEqual(
      ours.slice(3).map((r) => r.entity),
      [
        { customer_id: 1, cutoff: CUTOFF },
        { customer_id: 17, cutoff: CUTOFF },
      ],
    );
    assert.equal(Object.keys(ours[0]!.features).length, served.plan.features.length);
  });
});

async function count(): Promise<number> {
  let n = 0;
  for await (const _ of readServingLog(ws, 'customers.churned')) n++;
  return n;
}
