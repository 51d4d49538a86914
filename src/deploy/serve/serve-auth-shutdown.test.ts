import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { trainedShop } from '../deploy.fixture.js';
import { openWorkspace, type Workspace } from '../../workspace/open-workspace.js';
import { readServingLog, type ServedRecord } from '../serving-log.js';
import { runFathom, runFathomOk } from '../../testing/run-cli.js';
import { repoPath } from '../../testing/repo-path.js';
import { createServer } from './create-server.js';
import { readModelCard, registerModel, resolveModelVersion } from '../model-registry.js';
import type { FathomError } from '../../util/fathom-error.js';
import { ensureServeToken } from './serve-token.js';
import { serveModels } from './serve-models.js';
import { listDeployments } from '../deployments.js';
import { getJson, listenLocal, postJson } from './serve.fixture.js';

// One trained project (~15 s) shared by every test of this file.
let dir: string;
let env: NodeJS.ProcessEnv;
let ws: Workspace;
const PREDICT = '/v1/models/customers.churned/predict';
const noStdin = () => {
  const s = new PassThrough();
  s.end();
  return s;
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fathom-serve-auth-'));
  ({ env } = await trainedShop(dir, { promote: true }));
  ws = await openWorkspace(dir, { env });
});

after(async () => {
  await ws?.close();
  if (!process.env.FATHOM_KEEP_TMP) await rm(dir, { recursive: true, force: true });
});

describe('auth', () => {
  it('--auth token: 401 without the token or with a wrong one, 200 with it; /health stays open', async () => {
    const app = await createServer(ws, { host: '127.0.0.1', auth: 'token' }, { stdin: noStdin(), warn: () => {} });
    try {
      const url = await listenLocal(app);
      const { token } = await ensureServeToken(await ws.vault(noStdin()));
      const body = { entities: [{ customer_id: 17 }] };
      const none = await postJson(url + PREDICT, body);
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      assert.match(none.body.error, /token/);
      assert.equal((await postJson(url + PREDICT, body, { authorization: `Bearer ${token}x` })).status, 401);
      assert.equal(
        (await postJson(url + PREDICT, body, { authorization: token })).status,
        401,
        'the Bearer scheme is required',
      );
      assert.equal((await postJson(url + PREDICT, body, { authorization: 'Bearer ' })).status, 401);
      const ok = await postJson(url + PREDICT, body, { authorization: `Bearer ${token}` });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.predictions.length, 1);
      assert.equal((await getJson(`${url}/v1/models`)).status, 401);
      assert.equal((await getJson(`${url}/openapi.json`)).status, 401);
      // Without the token an unknown model says nothing about which ones are served.
      const unknown = await postJson(`${url}/v1/models/nope/predict`, body);
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.served, undefined);
      assert.equal((await getJson(`${url}/health`)).status, 200);
      const doc = await getJson(`${url}/openapi.json`, { authorization: `Bearer ${token}` });
      assert.deepEqual(doc.body.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer' });
    } finally {
      await app.close();
    }
  });

  it('--auth auto on a loopback address needs no token', async () => {
    const app = await createServer(ws, { host: '127.0.0.1', auth: 'auto' }, { stdin: noStdin(), warn: () => {} });
    try {
      const url = await listenLocal(app);
      assert.equal((await postJson(url + PREDICT, { entities: [{ customer_id: 17 }] })).status, 200);
    } finally {
      await app.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('answers a request in flight when close() starts, refuses new connections, flushes the log', async () => {
    const app = await createServer(ws, { host: '127.0.0.1' }, { warn: () => {} });
    // Hold the request inside the server until the test lets it go.
    let arrived!: () => void;
    const inside = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.addHook('preHandler', async () => {
      arrived();
      await gate;
    });
    const url = await listenLocal(app);
    const inflight = postJson(url + PREDICT, { entities: [{ customer_id: 2024, cutoff: '2025-01-01' }] });
    await inside;
    const closed = app.close();
    while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(
      fetch(`${url}/health`),
      (err: Error & { cause?: { code?: string } }) => err.cause?.code === 'ECONNREFUSED',
    );
    release();
    const r = await inflight;
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.predictions.length, 1);
    await closed;
    const last = (await records()).at(-1);
    assert.deepEqual(last?.entity, { customer_id: 2024, cutoff: '2025-01-01' });
  });

  it('finishes (and logs) a request whose client hung up before closing the engines and the log', async () => {
    const app = await createServer(ws, { host: '127.0.0.1' }, { warn: () => {} });
    let arrived!: () => void;
    const inside = new Promise<void>((resolve) => (arrived = resolve));
    app.addHook('preHandler', async () => arrived());
    const url = await listenLocal(app);
    const seen = (await records()).length;
    const hangUp = new AbortController();
    const entities = Array.from({ length: 500 }, (_, i) => ({ customer_id: i + 1, cutoff: '2025-02-01' }));
    const sent = fetch(url + PREDICT, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entities }),
      signal: hangUp.signal,
    }).catch(() => 'aborted');
    await inside;
    hangUp.abort();
    assert.equal(await sent, 'aborted');
    await app.close();
    const mine = (await records()).slice(seen);
    assert.equal(mine.length, 500, 'every entity of the abandoned request was scored and logged');
    assert.deepEqual(mine.at(-1)?.entity, { customer_id: 500, cutoff: '2025-02-01' });
  });

  it('fathom serve: ready JSON on stdout, token file 0600, token never printed, SIGTERM exits 0', async () => {
    const tokenFile = join(dir, 'serve.token');
    const child = spawn(
      process.execPath,
      [repoPath('bin/fathom.js'), 'serve', '--port', '0', '--auth', 'token', '--token-file', tokenFile, '--json'],
      {
        cwd: dir,
        env: { ...env, PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const ready = await new Promise<{ url: string; auth: boolean; models: Array<{ predict: string }> }>(
        (resolve, reject) => {
          child.stdout.on('data', (d: Buffer) => {
            stdout += d.toString();
            try {
              resolve(JSON.parse(stdout));
            } catch {
              // not the whole document yet
            }
          });
          void exited.then((code) => reject(new Error(`fathom serve exited ${code}: ${stderr}`)));
        },
      );
      assert.equal(ready.auth, true);
      assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
      const token = (await readFile(tokenFile, 'utf8')).trim();
      assert.ok(token.length >= 32);
      const r = await postJson(
        ready.models[0]!.predict,
        { entities: [{ customer_id: 5 }] },
        { authorization: `Bearer ${token}` },
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal((await postJson(ready.models[0]!.predict, { entities: [{ customer_id: 5 }] })).status, 401);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.match(stderr, /curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/v1\/models\/customers\.churned\/predict/);
      assert.match(stderr, /"entities":\[\{"customer_id":\d+\}\]/, 'the curl example holds a real key');
      assert.ok(!stderr.includes(token) && !stdout.includes(token), 'the token is never printed');
      assert.ok(!JSON.stringify(await records()).includes(token), 'nor logged');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('serveModels: the library entry of fathom serve', () => {
  it('records serving and stopped in the ledger, writes the token file, and refuses a port in use', async () => {
    const tokenFile = join(dir, 'lib.token');
    const served = await serveModels(ws, { host: '127.0.0.1', port: 0, tokenFile }, { env, stdin: noStdin() });
    try {
      assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(served.auth, false, 'auto on loopback: no token needed');
      assert.equal(served.exposed, false);
      assert.equal(served.token?.file, tokenFile);
      assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
      assert.deepEqual(
        served.models.map((m) => [m.name, m.stage, m.predict]),
        [['customers.churned', 'production', served.url + PREDICT]],
      );
      const live = (await listDeployments(ws)).find((d) => d.url === served.url);
      assert.deepEqual(
        [live?.status, live?.models, live?.by, live?.pid],
        ['serving', ['customers.churned@1'], 'tester', process.pid],
      );
      const [example] = await served.examples();
      const r = await postJson(served.models[0]!.predict, example!.body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const port = Number(new URL(served.url).port);
      const before = (await (await ws.ledger()).head()).seq;
      await assert.rejects(
        serveModels(ws, { host: '127.0.0.1', port }, { env }),
        (e: FathomError) => e.kind === 'usage' && /is in use/.test(e.message) && /--port 0/.test(e.hint ?? ''),
      );
      assert.equal((await (await ws.ledger()).head()).seq, before, 'a server that never listened is not recorded');
    } finally {
      await served.close();
    }
    await served.stopped;
    const seq = (await (await ws.ledger()).head()).seq;
    await served.close();
    assert.equal((await (await ws.ledger()).head()).seq, seq, 'closing twice records the stop once');
    assert.equal((await listDeployments(ws)).find((d) => d.url === served.url)?.status, 'stopped');
  });
});

describe('the serving log masks personal data', () => {
  it('masks PII-tagged features and entity keys (the demo model uses none: two are tagged here)', async () => {
    // The churn model's inputs hold no PII in the demo (names, emails and phones are not
    // features), so two of its inputs are tagged as personal data to check the masking.
    await runFathomOk(['tag', 'customers.plan', '--pii', 'person_name', '-q'], { cwd: dir, env });
    await runFathomOk(['tag', 'customers.customer_id', '--pii', 'national_id', '-q'], { cwd: dir, env });
    const app = await createServer(ws, { host: '127.0.0.1' }, { warn: () => {} });
    const url = await listenLocal(app);
    const seen = (await records()).length;
    const e = await postJson(url + PREDICT, { entities: [{ customer_id: 1234, cutoff: '2025-06-30' }] });
    assert.equal(e.status, 200);
    const row = Object.fromEntries(app.fathomModels[0]!.served.plan.features.map((f) => [f.column, null]));
    const r = await postJson(url + PREDICT, {
      rows: [
        { ...row, plan: 'plus' },
        { ...row, plan: null },
      ],
    });
    assert.equal(r.status, 200);
    await app.close();
    const mine = (await records()).slice(seen);
    assert.equal(mine.length, 3, 'one line per scored row');
    assert.deepEqual(mine[0]!.entity, { customer_id: '**34', cutoff: '2025-06-30' });
    assert.match(String(mine[0]!.features.plan), /^[a-z]\*\*\*$/, 'the level the sources gave, masked');
    assert.equal(mine[1]!.features.plan, 'p***');
    assert.equal(mine[2]!.features.plan, null);
    assert.ok(!JSON.stringify(mine).includes('"plus"'));
    assert.ok(!JSON.stringify(mine).includes('1234'));
  });
});

describe('source failures', () => {
  it('an unreadable source answers entity requests 503 with a message, not a stack; rows still work', async () => {
    // A copy of the demo's files, so one can be taken away while the server runs.
    const copy = join(dir, 'shop-copy');
    await cp(repoPath('examples/shop'), copy, { recursive: true });
    await runFathomOk(['connect', 'shop', copy, '--replace', '-q'], { cwd: dir, env });
    const warnings: string[] = [];
    const app = await createServer(ws, { host: '127.0.0.1' }, { warn: (m) => warnings.push(m) });
    try {
      const url = await listenLocal(app);
      assert.equal((await postJson(url + PREDICT, { entities: [{ customer_id: 3 }] })).status, 200);
      await rm(join(copy, 'orders.csv'));
      const r = await postJson(url + PREDICT, { entities: [{ customer_id: 3 }] });
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.match(r.body.error, /source "shop"/);
      assert.ok(!/\n\s+at /.test(JSON.stringify(r.body)), 'no stack trace');
      assert.ok(
        warnings.some((w) => w.startsWith('503')),
        'the operator is told too',
      );
      const row = Object.fromEntries(app.fathomModels[0]!.served.plan.features.map((f) => [f.column, null]));
      assert.equal((await postJson(url + PREDICT, { rows: [row] })).status, 200);
    } finally {
      await app.close();
    }
  });
});

describe('choosing what to serve', () => {
  it('refuses two versions of one model, and names the fix when nothing is in production', async () => {
    const same = await createServer(
      ws,
      { models: ['customers.churned@1', 'customers.churned@production', 'customers.churned'] },
      { warn: () => {} },
    );
    assert.deepEqual(
      same.fathomModels.map((m) => m.served.version.version),
      [1],
      'one version named three ways is served once',
    );
    await same.close();
    // A second version (the first member of the ensemble alone) to ask for both.
    const v1 = await resolveModelVersion(ws, 'customers.churned@1');
    const json = (await (await ws.objects()).getJson(v1.model)) as { members: unknown[] };
    const hash = await (await ws.objects()).putJson({ ...json, members: json.members.slice(0, 1) });
    const { version: v2 } = await registerModel(ws, { ...(await readModelCard(ws, v1)), model: hash }, 'tester');
    await assert.rejects(
      createServer(ws, { models: ['customers.churned@1', `customers.churned@${v2.version}`] }),
      (e: FathomError) =>
        e.kind === 'bad_input' &&
        /one version per model name/.test(e.message) &&
        /run a second server/.test(e.hint ?? ''),
    );
    await runFathomOk(['promote', 'customers.churned@1', 'staging', '-q'], { cwd: dir, env });
    const run = await runFathom(['serve', '--port', '0'], { cwd: dir, env });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /No model version is in production/);
    assert.match(run.stderr, /fathom promote customers\.churned@2 production --yes/);
    const unknown = await runFathom(['serve', '--port', '0', '--model', 'customers.age'], { cwd: dir, env });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No model named "customers\.age".*\n.*customers\.churned/);
  });
});

describe('a model without a scoring plan', () => {
  it('takes feature rows; entities get 400 saying why; /v1/models and the OpenAPI document say so too', async () => {
    // Trained on the customers table alone: registered as the next version of customers.churned.
    await runFathomOk(
      ['train', '--no-features', '--budget-units', '5000000', '--models', 'gbdt', '--seed', '1', '-q'],
      { cwd: dir, env },
    );
    const name = 'customers.churned';
    const latest = await resolveModelVersion(ws, `${name}@latest`);
    assert.equal(latest.scoring, false);
    const app = await createServer(
      ws,
      { host: '127.0.0.1', models: [`${name}@${latest.version}`] },
      { warn: () => {} },
    );
    try {
      const url = await listenLocal(app);
      const path = `/v1/models/${name}/predict`;
      const e = await postJson(url + path, { entities: [{ customer_id: 1 }] });
      assert.equal(e.status, 400);
      assert.equal(e.body.field, 'entities');
      assert.match(e.body.error, /no scoring plan.*send feature rows/);
      const row = Object.fromEntries(app.fathomModels[0]!.served.plan.features.map((f) => [f.column, null]));
      const r = await postJson(url + path, { rows: [row] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.version, latest.version);
      assert.equal((await getJson(`${url}/v1/models`)).body.models[0].entities, null);
      const doc = (await getJson(`${url}/openapi.json`)).body;
      assert.equal(doc.components.schemas[`${name}.Entity`], undefined);
      assert.deepEqual(Object.keys(doc.paths[path].post.requestBody.content['application/json'].schema.properties), [
        'rows',
      ]);
    } finally {
      await app.close();
    }
  });
});

async function records(): Promise<ServedRecord[]> {
  const out: ServedRecord[] = [];
  for await (const r of readServingLog(ws, 'customers.churned')) out.push(r);
  return out;
}
