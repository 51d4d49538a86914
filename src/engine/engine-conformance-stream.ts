/** Conformance tests for `Engine.stream`: batching, completeness, interleaving, early exit. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Engine } from './engine.js';
import { countingSql } from './engine-conformance.fixture.js';

type WithEngine = (work: (engine: Engine) => Promise<void>) => Promise<void>;

const ROWS = 50_000;
const BATCH = 4096;

export function streamConformance(withEngine: WithEngine): void {
  it(`streams ${ROWS} rows in order, in batches of exactly the batch size`, () =>
    withEngine(async (engine) => {
      await engine.exec(`CREATE TABLE big AS ${countingSql(ROWS)}`);
      let seen = 0;
      let sum = 0;
      let batches = 0;
      let inOrder = true;
      for await (const batch of engine.stream('SELECT i FROM big WHERE i > $1 ORDER BY i', [0], BATCH)) {
        batches++;
        if (seen + batch.length < ROWS) assert.equal(batch.length, BATCH, `batch ${batches} is short`);
        for (const row of batch) {
          seen++;
          if (row['i'] !== seen) inOrder = false;
          sum += row['i'] as number;
        }
      }
      assert.equal(seen, ROWS);
      assert.equal(sum, (ROWS * (ROWS + 1)) / 2);
      assert.equal(batches, Math.ceil(ROWS / BATCH));
      assert.ok(inOrder, 'rows arrived out of order');
    }));

  // Ten billion rows cannot be materialised, so only a true stream passes before the timeout.
  it('streams the start of a 10^10-row result without materialising it', { timeout: 30_000 }, () =>
    withEngine(async (engine) => {
      const digits = 'd(x) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))';
      const from = Array.from({ length: 10 }, (_, k) => `d d${k}`).join(', ');
      let rows = 0;
      let batches = 0;
      for await (const batch of engine.stream(`WITH ${digits} SELECT d0.x AS x FROM ${from}`, [], 2000)) {
        rows += batch.length;
        if (++batches === 3) break;
      }
      assert.equal(rows, 6000);
    }),
  );

  it('lets queries run while a stream is open, and releases a stream left early', () =>
    withEngine(async (engine) => {
      await engine.exec(`CREATE TABLE big2 AS ${countingSql(20_000)}`);
      let batches = 0;
      for await (const batch of engine.stream('SELECT i FROM big2 ORDER BY i', [], 1000)) {
        batches++;
        assert.equal(batch.length, 1000);
        const { rows } = await engine.query('SELECT COUNT(*) AS n FROM big2');
        assert.deepEqual(rows, [{ n: 20_000 }]);
        if (batches === 2) break;
      }
      assert.equal(batches, 2);
      await engine.exec('INSERT INTO big2 VALUES (0)');
      assert.deepEqual((await engine.query('SELECT COUNT(*) AS n FROM big2')).rows, [{ n: 20_001 }]);
    }));

  it('reports a failing streamed statement as a FathomError with the SQL', () =>
    withEngine(async (engine) => {
      const sql = 'SELECT * FROM missing_stream_table';
      await assert.rejects(
        (async () => {
          for await (const _ of engine.stream(sql)) void _;
        })(),
        (e: unknown) =>
          e instanceof Error && e.name === 'FathomError' && (e as { context?: { sql?: string } }).context?.sql === sql,
      );
    }));
}
