import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '../testing/temp-dir.js';
import { runFathomOk } from '../testing/run-cli.js';
import { openEngine } from '../engine/open-engine.js';
import { openWorkspace } from '../workspace/open-workspace.js';
import { trainedShop } from './deploy.fixture.js';
import { createServer } from './serve/create-server.js';
import { listenLocal, postJson } from './serve/serve.fixture.js';
import { openServingEngine } from './scoring-engine.js';
import { entityDataset, predictDataset } from './served-model.js';

const CUTOFF = '2025-06-30T00:00:00.000Z';
// 99999 is no customer: it still scores, from empty child-table features.
const KEYS = [1, 2, 3, 17, 250, 999, 1500, 2048, 2999, 99999];

test('the HTTP endpoint predicts what batch scoring (fathom predict) predicts for the same entities; no cutoff means the data snapshot', async () => {
  await withTempDir('serve-batch', async (dir) => {
    const { env } = await trainedShop(dir, { promote: true });

    // Batch: a CSV of keys and cutoffs through the CLI, as a user would.
    await writeFile(join(dir, 'keys.csv'), `customer_id,cutoff\n${KEYS.map((k) => `${k},${CUTOFF}`).join('\n')}\n`);
    await runFathomOk(
      ['predict', '--model', 'customers.churned', '--input', 'keys.csv', '--output', 'scores.csv', '-q'],
      { cwd: dir, env },
    );
    const engine = await openEngine({ kind: 'duckdb' });
    const batch = (
      await engine.query(`SELECT * FROM read_csv(${engine.dialect.quoteString(join(dir, 'scores.csv'))}, header=true)`)
    ).rows;
    await engine.close();
    assert.equal(batch.length, KEYS.length);

    // HTTP: the same entities, in one request and one at a time.
    const ws = await openWorkspace(dir, { env });
    const app = await createServer(ws, {}, { warn: () => undefined });
    try {
      const base = await listenLocal(app);
      const url = `${base}/v1/models/customers.churned/predict`;
      const all = await postJson(url, { entities: KEYS.map((k) => ({ customer_id: k, cutoff: CUTOFF })) });
      assert.equal(all.status, 200, JSON.stringify(all.body));
      const probabilities = new Set<number>();
      for (const [i, key] of KEYS.entries()) {
        const row = batch.find((r) => Number(r.customer_id) === key)!;
        const served = all.body.predictions[i];
        assert.equal(served.prediction, String(row.prediction), `prediction of customer ${key}`);
        // The same engine setup (tables, one thread) gives the same bits; CSV keeps them (shortest round-trip text).
        assert.equal(
          served.probability,
          Number(row.probability),
          `customer ${key}: HTTP ${served.probability}, batch ${row.probability}`,
        );
        probabilities.add(served.probability);
        const one = await postJson(url, { entities: [{ customer_id: key, cutoff: CUTOFF }] });
        assert.equal(
          one.body.predictions[0].probability,
          served.probability,
          `customer ${key} alone scores as in a batch`,
        );
      }
      assert.ok(probabilities.size >= 5, 'the customers get different scores (the comparison is not of constants)');

      // The demo trained at the data's snapshot (the midnight after its last order): an entity
      // without a cutoff is scored as of that snapshot, not of today's clock.
      const plain = await postJson(url, { entities: KEYS.slice(0, 4).map((k) => ({ customer_id: k })) });
      assert.deepEqual(plain.body.predictions, all.body.predictions.slice(0, 4));
      // ...but never later than now: on data that goes on past "now", now is the cutoff.
      const m = app.fathomModels[0]!.served;
      const early = new Date('2024-01-01T00:00:00Z');
      const engine = await openServingEngine(ws, m.scoring!);
      try {
        const byDefault = predictDataset(m, await entityDataset(engine.engine, m, [{ customer_id: 17 }], early));
        const given = predictDataset(
          m,
          await entityDataset(engine.engine, m, [{ customer_id: 17, cutoff: early.toISOString() }]),
        );
        assert.deepEqual(byDefault, given);
        assert.notDeepEqual(
          given,
          predictDataset(m, await entityDataset(engine.engine, m, [{ customer_id: 17, cutoff: CUTOFF }])),
          'the cutoff matters for this customer',
        );
      } finally {
        await engine.engine.close();
      }
    } finally {
      await app.close();
      await ws.close();
    }
  });
});
