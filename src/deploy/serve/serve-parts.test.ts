import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLoopback, requiresToken, resolveServeOptions } from './serve-options.js';
import { bearerMatches, ensureServeToken, SERVE_TOKEN, writeTokenFile } from './serve-token.js';
import { serialEngine } from './serial-engine.js';
import { sliceDataset } from './entity-batcher.js';
import { pathSegment, predictPath } from './predict-route.js';
import Fastify from 'fastify';
import { errorReply, HttpError } from './http-errors.js';
import { openMemoryVault } from '../../workspace/vault/memory-vault.js';
import type { Engine } from '../../engine/engine.js';
import { FathomError } from '../../util/fathom-error.js';

describe('serve options', () => {
  it('tells loopback addresses from the others', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])
      assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '::ffff:10.0.0.1', '128.0.0.1'])
      assert.equal(isLoopback(h), false, h);
  });

  it('auto requires the token exactly when the host is not loopback; token and none are what they say', () => {
    assert.equal(requiresToken({ auth: 'auto', host: '127.0.0.1' }), false);
    assert.equal(requiresToken({ auth: 'auto', host: '0.0.0.0' }), true);
    assert.equal(requiresToken({ auth: 'token', host: '127.0.0.1' }), true);
    assert.equal(requiresToken({ auth: 'none', host: '0.0.0.0' }), false);
  });

  it('defaults to loopback, port 8080, auto auth, 10,000 rows, no request log; refuses bad values', () => {
    assert.deepEqual(
      { ...resolveServeOptions({}) },
      { host: '127.0.0.1', port: 8080, models: [], auth: 'auto', maxRows: 10_000, logRequests: false },
    );
    assert.equal(resolveServeOptions({ port: undefined }).port, 8080);
    assert.throws(
      () => resolveServeOptions({ maxRows: 0 }),
      (e: FathomError) => e.kind === 'bad_input' && /rows/.test(e.message),
    );
    assert.throws(() => resolveServeOptions({ port: 70000 }), /port/i);
    assert.throws(() => resolveServeOptions({ auth: 'maybe' as 'none' }), /auth mode/);
  });
});

describe('serve token', () => {
  it('is created once in the vault and then reused', async () => {
    const vault = openMemoryVault();
    const a = await ensureServeToken(vault);
    const b = await ensureServeToken(vault);
    assert.equal(a.created, true);
    assert.equal(b.created, false);
    assert.equal(a.token, b.token);
    assert.equal(await vault.get(SERVE_TOKEN), a.token);
    assert.ok(Buffer.from(a.token, 'base64url').length === 32);
  });

  it('matches only "Bearer <the token>"', () => {
    assert.equal(bearerMatches('Bearer s3cret', 's3cret'), true);
    assert.equal(bearerMatches('bearer s3cret', 's3cret'), true);
    for (const h of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      's3cret',
      'Basic s3cret',
      'Bearer s3cre',
      'Bearer s3cretX',
      'Bearer s3cret extra',
    ])
      assert.equal(bearerMatches(h, 's3cret'), false, String(h));
  });

  it('is written to a file only its owner can read, replacing an older one whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fathom-token-'));
    try {
      const file = join(dir, 'token');
      await writeFile(file, 'old', { mode: 0o644 });
      await writeTokenFile(file, 'abc');
      assert.equal(await readFile(file, 'utf8'), 'abc\n');
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      await assert.rejects(
        writeTokenFile(join(dir, 'no-such-folder', 'token'), 'abc'),
        (e: FathomError) => e.kind === 'bad_input' && /no-such-folder/.test(e.message),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('serial engine', () => {
  /** An engine that records when each query starts and ends; only query and close are used. */
  function tracingEngine(trace: string[]): Engine {
    return {
      async query(sql: string) {
        trace.push(`start ${sql}`);
        await new Promise((resolve) => setTimeout(resolve, sql === 'slow' ? 20 : 1));
        trace.push(`end ${sql}`);
        return { columns: [], rows: [] };
      },
      async close() {
        trace.push('close');
      },
    } as unknown as Engine;
  }

  const live = (engine: Engine) => ({ engine, snapshot: false, refresh: async () => undefined });

  it('runs work one at a time in arrival order, opens once, and closes after the queue drains', async () => {
    const trace: string[] = [];
    let opened = 0;
    const lane = serialEngine(async () => {
      opened++;
      return live(tracingEngine(trace));
    });
    const done = Promise.all(['slow', 'b', 'c'].map((q) => lane.run((e) => e.query(q))));
    const closed = lane.close();
    await done;
    await closed;
    assert.equal(opened, 1);
    assert.deepEqual(trace, ['start slow', 'end slow', 'start b', 'end b', 'start c', 'end c', 'close']);
    await assert.rejects(
      lane.run((e) => e.query('late')),
      /shutting down/,
    );
  });

  it('forgets a failed open, so the next request retries; a failed job does not block the queue', async () => {
    let attempts = 0;
    const lane = serialEngine(async () => {
      attempts++;
      if (attempts === 1) throw new Error('source unreachable');
      return live(tracingEngine([]));
    });
    assert.match((await lane.warm())?.message ?? '', /unreachable/);
    await assert.rejects(
      lane.run(async () => Promise.reject(new Error('bad query'))),
      /bad query/,
    );
    assert.deepEqual(await lane.run((e) => e.query('ok')), { columns: [], rows: [] });
    assert.equal(attempts, 2);
    await lane.close();
  });
});

describe('predict paths', () => {
  it('route every model name, odd characters included, to its own static route', async () => {
    const names = [
      'customers.churned',
      't.Churn Flag',
      't.a/b',
      't.é',
      't.x%y',
      't.c:d',
      't.q?x',
      't.st*r',
      't.semi;colon',
      't.plus+x',
    ];
    assert.equal(predictPath('customers.churned'), '/v1/models/customers.churned/predict');
    const app = Fastify();
    // As registerPredictRoute registers them.
    for (const name of names) app.post(`/v1/models/${pathSegment(name)}/predict`, async () => ({ name }));
    for (const name of names) {
      const r = await app.inject({ method: 'POST', url: predictPath(name) });
      assert.equal(r.statusCode, 200, `${name}: ${predictPath(name)}`);
      assert.equal(r.json().name, name);
    }
    await app.close();
  });
});

describe('sliceDataset', () => {
  it('keeps rows [from, to) of every feature, categories untouched', () => {
    const data = {
      rows: 4,
      features: [
        { name: 'x', kind: 'numeric' as const, values: Float64Array.from([1, 2, Number.NaN, 4]) },
        { name: 'c', kind: 'categorical' as const, codes: Int32Array.from([0, -1, 1, 0]), categories: ['a', 'b'] },
      ],
    };
    const part = sliceDataset(data, 1, 3);
    assert.equal(part.rows, 2);
    assert.deepEqual([...(part.features[0] as { values: Float64Array }).values], [2, Number.NaN]);
    assert.deepEqual([...(part.features[1] as { codes: Int32Array }).codes], [-1, 1]);
    assert.deepEqual((part.features[1] as { categories: readonly string[] }).categories, ['a', 'b']);
  });
});

describe('error replies', () => {
  it('keep the status and fields of an HttpError', () => {
    assert.deepEqual(errorReply(new HttpError(400, 'bad', { field: 'rows/0/age', row: 0 })), {
      status: 400,
      body: { error: 'bad', field: 'rows/0/age', row: 0 },
    });
  });

  it('name the field of a schema error, decoding JSON pointer escapes', () => {
    const err = Object.assign(new Error('body/rows/0 must be number'), {
      validation: [{ instancePath: '/rows/3/price~1unit', keyword: 'type', params: { type: 'number,null' } }],
      validationContext: 'body',
    });
    assert.deepEqual(errorReply(err), {
      status: 400,
      body: { error: 'field "rows/3/price/unit" must be number or null', field: 'rows/3/price/unit', row: 3 },
    });
  });

  it('map FathomError kinds to 400/404/500 with the hint, and unknown errors to 500 without a stack', () => {
    assert.equal(errorReply(new FathomError('bad_input', 'x', { hint: 'y' })).status, 400);
    assert.deepEqual(errorReply(new FathomError('not_found', 'gone', { hint: 'look' })), {
      status: 404,
      body: { error: 'gone', hint: 'look' },
    });
    const r = errorReply(new TypeError('oops'));
    assert.equal(r.status, 500);
    assert.equal(r.body.error, 'internal error: oops');
    assert.ok(!JSON.stringify(r.body).includes('at '));
  });
});
