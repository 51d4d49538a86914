import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { runFathom } from '../../testing/run-cli.js';
import { withTempDir } from '../../testing/temp-dir.js';
import { repoPath } from '../../testing/repo-path.js';
import { writeCustomersCsv } from '../../train/training-csv.fixture.js';
import { openSqliteLedger } from '../../ledger/sqlite/sqlite-ledger-store.js';
import { createFileObjectStore } from '../../ledger/object-store.js';
import { fathomModelFromJSON } from '../../train/fathom-model.js';

/** A project with the customers CSV connected as source `shop`. */
async function project(dir: string, rows: number, extraNumeric = 0): Promise<string> {
  await writeCustomersCsv(join(dir, 'customers.csv'), rows, 1, extraNumeric);
  assert.equal((await runFathom(['init', 'proj'], { cwd: dir })).code, 0);
  const cwd = join(dir, 'proj');
  const c = await runFathom(['connect', 'shop', join(dir, 'customers.csv')], { cwd });
  assert.equal(c.code, 0, c.stderr);
  return cwd;
}

test('fathom train end to end: card, leaderboard, saved model, models projection, reuse', async () => {
  await withTempDir('train-e2e', async (dir) => {
    const cwd = await project(dir, 400);
    const run = await runFathom(
      ['train', '--target', 'customers.churned', '--budget-units', '20000000', '--folds', '3', '--json'],
      { cwd },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /trial 1 linear/, 'progress goes to stderr');
    const { card, leaderboard, reused } = run.json();
    assert.equal(reused, false);
    assert.equal(card.target.task, 'binary');
    assert.deepEqual(card.target.classes, ['false', 'true'], 'yes/no read as a boolean; the positive class is true');
    const dropped = Object.fromEntries(
      card.features.dropped.map((d: { column: string; reason: string }) => [d.column, d.reason]),
    );
    assert.match(dropped.customer_id, /identifier/);
    assert.match(dropped.note, /identifier|free text/);
    assert.match(dropped.constant1, /constant/);
    assert.match(dropped.empty1, /missing/);
    assert.deepEqual(card.features.used.map((f: { column: string }) => f.column).sort(), [
      'age',
      'income',
      'plan',
      'signup',
      'spend',
    ]);
    assert.ok(card.metrics.auc.mean > 0.7, `auc ${card.metrics.auc.mean}`);
    assert.ok(card.metrics.auc.std >= 0);
    assert.ok(Math.abs(card.ensemble.reduce((s: number, e: { weight: number }) => s + e.weight, 0) - 1) < 1e-9);
    assert.equal(card.split.kind, 'stratified');
    assert.deepEqual(card.warnings, [], 'an honest AUC raises no leakage warning');
    assert.equal(card.permutationImportance.complete, true);
    assert.ok(['age', 'plan', 'spend', 'income'].includes(card.permutationImportance.features[0].feature));
    assert.ok(leaderboard.some((e: { family: string }) => e.family === 'gbdt'));
    assert.ok(
      leaderboard.some((e: { origin: string }) => e.origin === 'search'),
      'the search ran past the portfolio',
    );

    // The model is in the object store and predicts; the models projection points at it.
    const objects = createFileObjectStore(join(cwd, '.fathom', 'objects'));
    const model = fathomModelFromJSON(await objects.getJson(card.model));
    assert.equal(model.task.kind, 'binary');
    const ledger = await openSqliteLedger(join(cwd, '.fathom', 'ledger.db'));
    try {
      const rec = await ledger.getState<{ model: string; metrics: unknown }>('models', 'customers.churned');
      assert.equal(rec?.value.model, card.model);
    } finally {
      await ledger.close();
    }
    const log = await runFathom(['log', '--kind', 'learn.trial', '--json', '-n', '200'], { cwd });
    assert.equal(log.code, 0, log.stderr);
    assert.ok(
      log.json().entries.filter((e: { status: string }) => e.status === 'succeeded').length >=
        leaderboard.filter((e: { status: string }) => e.status === 'ok').length,
    );

    const again = await runFathom(
      ['train', '--target', 'customers.churned', '--budget-units', '20000000', '--folds', '3', '--json'],
      { cwd },
    );
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().reused, true, 'unchanged data and options reuse the training');
    assert.equal(again.json().card.model, card.model);
    // Other options make a new training, but its unchanged trials are reused from the ledger.
    const more = await runFathom(
      ['train', '--target', 'customers.churned', '--budget-units', '30000000', '--folds', '3', '--json'],
      { cwd },
    );
    assert.equal(more.code, 0, more.stderr);
    assert.equal(more.json().reused, false);
    assert.ok(
      more.json().trialsReused >= leaderboard.filter((e: { status: string }) => e.status === 'ok').length,
      'trials of the first run are reused',
    );
  });
});

test('a regression target is inferred; the human output lists the leaderboard', async () => {
  await withTempDir('train-reg', async (dir) => {
    const cwd = await project(dir, 300);
    const run = await runFathom(
      ['train', '--target', 'customers.spend', '--budget-units', '5000000', '--folds', '3', '--metric', 'mae'],
      { cwd },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /model customers\.spend \(regression\)/);
    assert.match(run.stdout, /trial\s+family\s+params\s+mae/);
    const timed = await runFathom(
      [
        'train',
        '--target',
        'customers.spend',
        '--time-column',
        'signup',
        '--budget-units',
        '2000000',
        '--folds',
        '3',
        '--json',
      ],
      { cwd },
    );
    assert.equal(timed.code, 0, timed.stderr);
    const card = timed.json().card;
    assert.equal(card.split.kind, 'time');
    assert.ok(
      card.features.dropped.some(
        (d: { column: string; reason: string }) => d.column === 'signup' && /time index/.test(d.reason),
      ),
    );
    assert.ok(card.metrics.r2.mean > 0.5, `r2 ${card.metrics.r2.mean}`);
  });
});

function stable(leaderboard: Array<Record<string, unknown>>) {
  return leaderboard.map(({ ms: _ms, reused: _r, ...rest }) => rest);
}

test('determinism: the same seed and unit budget give the same leaderboard and model bytes in two projects', async () => {
  const results: Array<{ model: string; leaderboard: unknown; bytes: string }> = [];
  for (const name of ['one', 'two']) {
    await withTempDir(`train-det-${name}`, async (dir) => {
      const cwd = await project(dir, 300);
      const run = await runFathom(
        [
          'train',
          '--target',
          'customers.churned',
          '--budget-units',
          '8000000',
          '--seed',
          '3',
          '--folds',
          '3',
          '--json',
        ],
        { cwd },
      );
      assert.equal(run.code, 0, run.stderr);
      const { card, leaderboard } = run.json();
      const objects = createFileObjectStore(join(cwd, '.fathom', 'objects'));
      results.push({
        model: card.model,
        leaderboard: stable(leaderboard),
        bytes: Buffer.from(await objects.get(card.model)).toString('utf8'),
      });
    });
  }
  assert.ok((results[0]!.leaderboard as unknown[]).length >= 4);
  assert.deepEqual(results[1]!.leaderboard, results[0]!.leaderboard);
  assert.equal(results[1]!.model, results[0]!.model);
  assert.equal(results[1]!.bytes, results[0]!.bytes);
});

test('the time budget is hard: 5 s on data whose trials take longer, whole process included', async (t) => {
  await withTempDir('train-budget', async (dir) => {
    // Small enough to load in a fraction of the budget, big enough that the portfolio's
    // 100-round GBDT cannot finish in what is left even on a quiet machine (at 1,500 rows it
    // did, once the GBDT's 2 threads sped up, and no trial was stopped).
    const cwd = await project(dir, 8_000, 4);
    const bin = repoPath('bin', 'fathom.js');
    // The allowance is what the budget cannot govern: starting Node and loading the CLI's
    // modules before the command's clock starts. Measured here, on this machine and load, by
    // running the same binary with --version (same static imports), with 50% margin.
    const s0 = Date.now();
    assert.equal(spawnSync(process.execPath, [bin, '--version'], { cwd }).status, 0);
    const startup = Date.now() - s0;
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      [bin, 'train', '--target', 'customers.churned', '--time-budget', '5s', '--json'],
      { cwd, encoding: 'utf8' },
    );
    const wall = Date.now() - t0;
    assert.equal(r.status, 0, r.stderr);
    const { card } = JSON.parse(r.stdout);
    t.diagnostic(
      `budget 5000 ms: command ${card.time.usedMs} ms, process ${wall} ms, startup ${startup} ms, ${card.search.completed} trials completed, ${card.search.stopped} stopped`,
    );
    assert.ok(card.search.stopped >= 1, `a trial should have been stopped at the deadline: ${r.stderr}`);
    assert.ok(card.time.usedMs <= 5000 * 1.05, `in-process time ${card.time.usedMs} ms`);
    assert.ok(wall <= 5000 * 1.05 + startup * 1.5, `wall ${wall} ms, startup allowance ${startup * 1.5} ms`);
  });
});

test('under a time budget the search is every round that ran before the deadline', async () => {
  await withTempDir('train-rounds', async (dir) => {
    const cwd = await project(dir, 300);
    const r = await runFathom(
      ['train', '--target', 'customers.churned', '--time-budget', '4s', '--folds', '3', '--json'],
      {
        cwd,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const { card } = r.json();
    const log = await runFathom(['log', '--kind', 'learn.trial', '--json', '-n', '5000'], { cwd });
    const ran = new Set(
      log
        .json()
        .entries.filter((e: { status: string }) => e.status !== 'started')
        .map((e: { fingerprint: string }) => e.fingerprint),
    );
    assert.ok(ran.size > 6, `small data: the search went past the portfolio (${ran.size} trials)`);
    assert.equal(card.search.trials, ran.size, `the card counts ${card.search.trials} trials, the ledger ${ran.size}`);
  });
});

test('bad input: exit code 2 with a message naming the table, column or flag', async () => {
  await withTempDir('train-bad', async (dir) => {
    const cwd = await project(dir, 60);
    const cases: Array<[string[], RegExp]> = [
      [[], /needs a target: --target TABLE\.COLUMN/],
      [['--target', 'nosuch.churned'], /No table named nosuch/],
      [['--target', 'customers.nosuch'], /Table customers has no column nosuch/],
      [['--target', 'customers.always_one'], /customers\.always_one is constant/],
      [['--target', 'customers.never'], /customers\.never has no values: every row is null/],
      [['--target', 'customers.churned', '--time-budget', 'abc'], /--time-budget must be a duration/],
      [
        ['--target', 'customers.churned', '--metric', 'rmse', '--budget-units', '1000'],
        /Metric rmse does not fit a binary target/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runFathom(['train', ...args], { cwd });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
    }
  });
});

test('--models gbdt --onnx writes the chosen single GBDT as ONNX', async () => {
  await withTempDir('train-onnx', async (dir) => {
    const cwd = await project(dir, 200);
    const run = await runFathom(
      [
        'train',
        '--target',
        'customers.churned',
        '--models',
        'gbdt',
        '--budget-units',
        '1',
        '--max-trials',
        '1',
        '--folds',
        '3',
        '--onnx',
        'model.onnx',
        '--json',
      ],
      { cwd },
    );
    assert.equal(run.code, 0, run.stderr);
    const doc = run.json();
    assert.equal(doc.onnx.family, 'gbdt');
    assert.deepEqual(
      doc.card.ensemble.map((e: { family: string; fit: string }) => [e.family, e.fit]),
      [['gbdt', 'refit']],
    );
    const bytes = await readFile(join(cwd, 'model.onnx'));
    assert.ok(bytes.length > 100);
    const bad = await runFathom(['train', '--target', 'customers.churned', '--models', 'trees'], { cwd });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--models takes linear and\/or gbdt/);
  });
});

test('a SQLite table with hostile names trains in its own engine (identifiers quoted)', async () => {
  await withTempDir('train-sqlite', async (dir) => {
    const db = new Database(join(dir, 'crm.db'));
    db.exec(`CREATE TABLE "odd ""t"" able" ("select" TEXT, "naïve name" TEXT, amount REAL, "from" INTEGER)`);
    const insert = db.prepare(`INSERT INTO "odd ""t"" able" VALUES (?, ?, ?, ?)`);
    for (let i = 0; i < 120; i++)
      insert.run(i % 3 === 0 ? 'yes' : 'no', ['a', 'b', 'c'][i % 3], i % 3 === 0 ? 10 + (i % 5) : i % 7, i % 4);
    db.close();
    assert.equal((await runFathom(['init'], { cwd: dir })).code, 0);
    assert.equal((await runFathom(['connect', 'crm', 'crm.db'], { cwd: dir })).code, 0);
    const run = await runFathom(
      ['train', '--target', 'odd "t" able.select', '--budget-units', '2000000', '--folds', '3', '--json'],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const card = run.json().card;
    assert.deepEqual(card.target.classes, ['no', 'yes']);
    assert.deepEqual(card.features.used.map((f: { column: string }) => f.column).sort(), [
      'amount',
      'from',
      'naïve name',
    ]);
    assert.ok(card.metrics.auc.mean > 0.95, `auc ${card.metrics.auc.mean}: "naïve name" = a marks every yes`);
    assert.match(card.warnings[0], /suspect target leakage, most of all from (naïve name|amount)/);
  });
});

test('a budget spent before any trial ends with exit 1 and says so', async () => {
  await withTempDir('train-tiny', async (dir) => {
    const cwd = await project(dir, 1_500);
    const run = await runFathom(['train', '--target', 'customers.churned', '--time-budget', '100ms'], { cwd });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /time budget ran out while reading table customers|time budget \(100 ms\) ran out|No trial finished within the budget/,
    );
    assert.match(run.stderr, /fix: Raise --time-budget/);
  });
});

test('columns that explore found to be personal data are not features', async () => {
  await withTempDir('train-pii', async (dir) => {
    const lines = Array.from(
      { length: 300 },
      (_, i) => `${i + 1},person${i}@mail.example,${20 + (i % 50)},${(i * 37) % 100},${i % 3 === 0 ? 'yes' : 'no'}`,
    );
    await writeFile(join(dir, 'people.csv'), `id,email,age,score,churned\n${lines.join('\n')}\n`);
    assert.equal((await runFathom(['explore', 'people.csv', '-q'], { cwd: dir })).code, 0);
    const run = await runFathom(
      [
        'train',
        '--target',
        'people.churned',
        '--budget-units',
        '5000000',
        '--folds',
        '3',
        '--models',
        'linear',
        '--json',
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const dropped = Object.fromEntries(
      run.json().card.features.dropped.map((d: { column: string; reason: string }) => [d.column, d.reason]),
    );
    assert.equal(dropped.email, 'personal data (email), found by fathom explore');
    assert.deepEqual(
      run
        .json()
        .card.features.used.map((f: { column: string }) => f.column)
        .sort(),
      ['age', 'score'],
    );
  });
});
