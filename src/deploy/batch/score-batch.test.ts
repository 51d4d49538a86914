import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { trainedShop } from '../deploy.fixture.js';
import { openWorkspace, type Workspace } from '../../workspace/open-workspace.js';
import { resolveModelVersion } from '../model-registry.js';
import { entityDataset, loadServedModel, predictDataset, rowsToDataset, type ServedModel } from '../served-model.js';
import { scoreEntitiesWith } from '../../features/scoring-plan.js';
import { openServingEngine } from '../scoring-engine.js';
import { openEngine } from '../../engine/open-engine.js';
import type { Row, SqlValue } from '../../engine/engine.js';
import { runFathom, runFathomOk } from '../../testing/run-cli.js';
import { repoPath } from '../../testing/repo-path.js';
import { scoreBatch, BATCH_KIND } from './score-batch.js';
import { predictBatch } from './predict-batch.js';

// One trained project for the whole file (training takes ~15 s).
let dir: string;
let env: NodeJS.ProcessEnv;
let ws: Workspace;
let m: ServedModel;
const NOW = new Date('2025-06-30T00:00:00Z');
// 99999 is no customer: it still scores (its child-table features are empty).
const KEYS = [1, 2, 3, 17, 250, 999, 2048, 99999];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fathom-batch-'));
  ({ env } = await trainedShop(dir));
  ws = await openWorkspace(dir, { env });
  m = await loadServedModel(ws, await resolveModelVersion(ws, 'customers.churned'));
});

after(async () => {
  await ws?.close();
  if (!process.env.FATHOM_KEEP_TMP) await rm(dir, { recursive: true, force: true });
});

async function readBack(file: string): Promise<Row[]> {
  const engine = await openEngine({ kind: 'duckdb' });
  try {
    const q = engine.dialect.quoteString(file);
    const reader = file.endsWith('.parquet') ? `read_parquet(${q})` : `read_csv(${q}, header=true)`;
    return (await engine.query(`SELECT * FROM ${reader}`)).rows;
  } finally {
    await engine.close();
  }
}

/** What the HTTP API's entity path predicts for these keys at NOW. */
async function entityPredictions(keys: readonly number[]) {
  const engine = (await openServingEngine(ws, m.scoring!)).engine;
  try {
    return predictDataset(
      m,
      await entityDataset(
        engine,
        m,
        keys.map((k) => ({ customer_id: k })),
        NOW,
      ),
    );
  } finally {
    await engine.close();
  }
}

const csvCell = (v: SqlValue): string =>
  v === null ? '' : typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v);

test('batch predictions of a CSV of entity keys equal the entity path (predictDataset of entityDataset) for the same keys', async () => {
  const input = join(dir, 'keys.csv');
  await writeFile(input, ['customer_id', ...KEYS].join('\n') + '\n');
  const out = join(dir, 'keys-out.csv');
  // A chunk of 3 makes the 8 keys three feature queries: chunk edges must not shift rows.
  const summary = await scoreBatch(ws, m.version, input, out, { chunk: 3, now: NOW });
  assert.equal(summary.mode, 'entities');
  assert.equal(summary.rows, KEYS.length);
  assert.deepEqual(summary.columns, ['customer_id', 'prediction', 'probability']);
  const rows = await readBack(out);
  const expected = await entityPredictions(KEYS);
  assert.deepEqual(
    rows.map((r) => r.customer_id),
    KEYS,
  );
  assert.deepEqual(
    rows.map((r) => String(r.prediction)),
    expected.map((p) => String(p.prediction)),
  );
  assert.deepEqual(
    rows.map((r) => r.probability),
    expected.map((p) => p.probability),
  );
  assert.ok(new Set(rows.map((r) => r.probability)).size > 1, 'different customers get different scores');
});

test('a CSV of feature rows gives the same predictions as the entity path for those entities', async () => {
  const engine = (await openServingEngine(ws, m.scoring!)).engine;
  let features;
  try {
    features = await scoreEntitiesWith(
      engine,
      m.scoring!,
      KEYS.map((k) => ({ key: [k] })),
      NOW,
    );
  } finally {
    await engine.close();
  }
  // The computed features written as a file, as a user would export them: keys then features.
  const names = features.columns.map((c) => c.name);
  const lines = [names.map(csvCell).join(',')];
  for (let r = 0; r < features.rows; r++) {
    lines.push(
      features.columns
        .map((c) => csvCell(c.kind === 'number' ? (Number.isNaN(c.data[r]!) ? null : c.data[r]!) : c.data[r]!))
        .join(','),
    );
  }
  const input = join(dir, 'features.csv');
  await writeFile(input, lines.join('\n') + '\n');
  const out = join(dir, 'features-out.parquet');
  const summary = await scoreBatch(ws, m.version, input, out, { now: NOW });
  assert.equal(summary.mode, 'features');
  assert.equal(summary.now, null);
  const rows = await readBack(out);
  const expected = await entityPredictions(KEYS);
  assert.deepEqual(
    rows.map((r) => r.customer_id),
    KEYS,
    'the key columns of the input say which row is which',
  );
  assert.deepEqual(
    rows.map((r) => r.prediction),
    expected.map((p) => p.prediction),
  );
  assert.deepEqual(
    rows.map((r) => r.probability),
    expected.map((p) => p.probability),
  );
});

test('Parquet and CSV outputs of the same input read back equal, explanations included', async () => {
  const input = join(dir, 'keys-explain.csv');
  await writeFile(input, ['customer_id', ...KEYS.slice(0, 5)].join('\n') + '\n');
  const csv = await scoreBatch(ws, m.version, input, join(dir, 'both.csv'), { explain: true, now: NOW, record: false });
  const parquet = await scoreBatch(ws, m.version, input, join(dir, 'both.parquet'), {
    explain: true,
    now: NOW,
    record: false,
  });
  assert.deepEqual(csv.columns, parquet.columns);
  assert.equal(
    csv.columns.length,
    3 + 1 + m.plan.features.length,
    'key, prediction, probability, base, one contribution per feature',
  );
  const a = await readBack(csv.output);
  const b = await readBack(parquet.output);
  assert.equal(a.length, 5);
  const norm = (rows: Row[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? v : String(v)])));
  assert.deepEqual(norm(a), norm(b));
  // The contributions are the API's explanation of the same entity.
  const engine = (await openServingEngine(ws, m.scoring!)).engine;
  try {
    const [api] = predictDataset(m, await entityDataset(engine, m, [{ customer_id: KEYS[0] }], NOW), { explain: true });
    assert.equal(b[0]!.contribution_base, api!.explanation!.base);
    for (const f of m.plan.features)
      assert.equal(b[0]![`contribution:${f.column}`], api!.explanation!.contributions[f.column], f.column);
  } finally {
    await engine.close();
  }
});

test('predictBatch resolves the reference, says which version before scoring, and scores as scoreBatch does', async () => {
  const input = join(dir, 'keys-by-ref.csv');
  await writeFile(input, ['customer_id', ...KEYS].join('\n') + '\n');
  const events: string[] = [];
  const summary = await predictBatch(
    ws,
    'customers.churned',
    input,
    join(dir, 'by-ref.csv'),
    { chunk: 3, now: NOW, record: false },
    {
      resolved: (v) => events.push(`resolved ${v.name}@${v.version}`),
      progress: (done, total) => events.push(`${done}/${total}`),
    },
  );
  assert.deepEqual([summary.model, summary.version, summary.rows], ['customers.churned', 1, KEYS.length]);
  assert.equal(events[0], 'resolved customers.churned@1');
  assert.equal(events.at(-1), `${KEYS.length}/${KEYS.length}`);
  await assert.rejects(predictBatch(ws, 'customers.nosuch', input, join(dir, 'never.csv')), /customers\.nosuch/);
  assert.equal(existsSync(join(dir, 'never.csv')), false);
});

test('fathom predict --json scores a source table, prints one summary, and records the run in the ledger', async () => {
  const out = join(dir, 'table-out.csv');
  const run = await runFathom(
    ['predict', '--model', 'customers.churned@1', '--input', 'shop.customers', '--output', out, '--json'],
    { cwd: dir, env },
  );
  assert.equal(run.code, 0, run.stderr);
  const summary = run.json();
  assert.equal(summary.rows, 3000);
  assert.equal(summary.mode, 'entities');
  assert.equal((await readBack(out)).length, 3000);
  const log = await runFathom(['log', '--json', '-n', '5'], { cwd: dir, env });
  const entries = JSON.stringify(log.json());
  assert.match(entries, new RegExp(BATCH_KIND.replace('.', '\\.')));
  assert.ok(!existsSync(join(ws.paths.stateDir, 'serving')), 'batch rows are not written to the serving log');
});

test('bad input exits 2 naming the file, column or row and the fix, and leaves no output behind', async () => {
  const predict = (input: string, out: string, model = 'customers.churned') =>
    runFathom(['predict', '--model', model, '--input', input, '--output', out], { cwd: dir, env });

  const missing = await predict('no-such-file.csv', join(dir, 'x.csv'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such-file\.csv does not exist/);

  await writeFile(join(dir, 'wrong.csv'), 'id,name\n1,a\n');
  const wrong = await predict('wrong.csv', join(dir, 'wrong-out.csv'));
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /neither the model's feature columns nor its entity keys/);
  assert.match(wrong.stderr, /"customer_id"/);
  assert.match(wrong.stderr, /feature columns \(missing: "plan", "age"/);
  assert.ok(!existsSync(join(dir, 'wrong-out.csv')));

  // A feature value that is no number, in the third data row.
  const names = m.plan.features.map((f) => f.column);
  const row = (age: string) => names.map((n) => (n === 'age' ? age : n === 'plan' ? 'pro' : '')).join(',');
  await writeFile(
    join(dir, 'bad-type.csv'),
    [names.map((n) => csvCell(n)).join(','), row('30'), row('41'), row('forty'), row('50')].join('\n') + '\n',
  );
  const badType = await predict('bad-type.csv', join(dir, 'bad-type-out.parquet'));
  assert.equal(badType.code, 2);
  assert.match(badType.stderr, /bad-type\.csv row 3, column "age": "forty" is not a number/);
  assert.match(badType.stderr, /fix: /);
  assert.ok(!existsSync(join(dir, 'bad-type-out.parquet')));

  await writeFile(join(dir, 'bad-cutoff.csv'), 'customer_id,cutoff\n1,2025-01-01\n2,not a date\n');
  const badCutoff = await predict('bad-cutoff.csv', join(dir, 'bad-cutoff-out.csv'));
  assert.equal(badCutoff.code, 2);
  assert.match(badCutoff.stderr, /bad-cutoff\.csv row 2, column "cutoff"/);

  await writeFile(join(dir, 'bad-key.csv'), 'customer_id\n1\n2\nabc\n');
  const badKey = await predict('bad-key.csv', join(dir, 'bad-key-out.csv'));
  assert.equal(badKey.code, 2);
  assert.match(badKey.stderr, /bad-key\.csv row 3, column "customer_id": "abc" is not an integer/);

  const unknown = await predict('keys.csv', join(dir, 'u.csv'), 'customers.nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /No model named "customers\.nope"/);
  assert.match(unknown.stderr, /customers\.churned/);

  const badOut = await predict('keys.csv', join(dir, 'out.xlsx'));
  assert.equal(badOut.code, 2);
  assert.match(badOut.stderr, /must end in \.csv or \.parquet/);
});

test('a model trained on its table alone: regression rows carry the table key and equal the API row path', async () => {
  await runFathomOk(
    [
      'train',
      '--target',
      'orders.total_amount',
      '--no-features',
      '--models',
      'gbdt',
      '--budget-units',
      '5000000',
      '--seed',
      '1',
      '-q',
    ],
    { cwd: dir, env },
  );
  const version = await resolveModelVersion(ws, 'orders.total_amount');
  const reg = await loadServedModel(ws, version);
  const out = join(dir, 'orders-out.parquet');
  const summary = await scoreBatch(ws, version, 'shop.orders', out, { record: false });
  assert.equal(summary.mode, 'features');
  assert.deepEqual(summary.columns, ['order_id', 'prediction'], 'the catalog primary key says which row is which');
  const rows = await readBack(out);
  assert.equal(rows.length, summary.rows);
  // The first rows of the file, sent as the HTTP API's feature rows.
  const lines = (await readFile(repoPath('examples/shop/orders.csv'), 'utf8')).split('\n').slice(0, 6);
  const header = lines[0]!.split(',');
  const objects = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i]!, v])));
  const features = objects.map((o) =>
    Object.fromEntries(
      reg.plan.features.map((f) => [f.column, f.treatment === 'numeric' ? Number(o[f.column]) : o[f.column]]),
    ),
  );
  const api = predictDataset(reg, rowsToDataset(reg.plan, features));
  assert.deepEqual(
    rows.slice(0, 5).map((r) => r.order_id),
    objects.map((o) => Number(o.order_id)),
  );
  assert.deepEqual(
    rows.slice(0, 5).map((r) => r.prediction),
    api.map((p) => p.prediction),
  );
});

test('a table of a connected database source, with a cutoff column: each row scored at its own cutoff', async () => {
  const db = new Database(join(dir, 'crm.db'));
  db.exec(`CREATE TABLE "new customers" (customer_id INTEGER, cutoff TEXT);
    INSERT INTO "new customers" VALUES (1, '2025-01-01'), (2, NULL), (5, '2025-03-01T00:00:00Z');`);
  db.close();
  await runFathomOk(['connect', 'crm', 'crm.db', '-q'], { cwd: dir, env });
  const out = join(dir, 'crm-out.csv');
  const summary = await scoreBatch(ws, m.version, 'crm.new customers', out, { now: NOW, record: false });
  assert.equal(summary.mode, 'entities');
  const rows = await readBack(out);
  const engine = (await openServingEngine(ws, m.scoring!)).engine;
  try {
    const expected = predictDataset(
      m,
      await entityDataset(
        engine,
        m,
        [
          { customer_id: 1, cutoff: '2025-01-01' },
          { customer_id: 2 },
          { customer_id: 5, cutoff: '2025-03-01T00:00:00Z' },
        ],
        NOW,
      ),
    );
    assert.deepEqual(
      rows.map((r) => r.probability),
      expected.map((p) => p.probability),
    );
    const atNow = await entityPredictions([1]);
    assert.notEqual(rows[0]!.probability, atNow[0]!.probability, 'the cutoff column was used, not the default');
  } finally {
    await engine.close();
  }
});
