import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainedShop } from '../deploy.fixture.js';
import { openWorkspace, type Workspace } from '../../workspace/open-workspace.js';
import { resolveModelVersion } from '../model-registry.js';
import { entityDataset, loadServedModel, predictDataset, type ServedModel } from '../served-model.js';
import { openScoringEngine } from '../../features/scoring-plan.js';
import { ServingLog, servingDir } from '../serving-log.js';
import type { Engine } from '../../engine/engine.js';
import { runFathom } from '../../testing/run-cli.js';
import { monitorModels, MONITOR_KIND } from './monitor-models.js';

// One trained project for the whole file (training takes ~15 s).
let dir: string;
let env: NodeJS.ProcessEnv;
let ws: Workspace;
let m: ServedModel;
let engine: Engine;
/** The training cutoff: features computed at it are drawn from the training distribution. */
const CUTOFF = new Date('2025-06-30T00:00:00Z');
const DAY = 86_400_000;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fathom-monitor-'));
  ({ env } = await trainedShop(dir));
  ws = await openWorkspace(dir, { env });
  m = await loadServedModel(ws, await resolveModelVersion(ws, 'customers.churned'));
  engine = await openScoringEngine(ws, m.scoring!);
});

after(async () => {
  await engine?.close();
  await ws?.close();
  if (!process.env.FATHOM_KEEP_TMP) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => rm(servingDir(ws), { recursive: true, force: true }));

/**
 * Serve `perDay` customers (distinct ones, as training had) on each of `days`, through the
 * serving log as the HTTP server writes it; `shift` moves one feature's values first.
 */
async function serve(days: readonly Date[], perDay: number, shift?: { feature: string; by: number }): Promise<void> {
  const log = ServingLog.open(ws);
  for (const [d, at] of days.entries()) {
    const rows = Array.from({ length: perDay }, (_, i) => ({ customer_id: ((d * perDay + i) % 3000) + 1 }));
    const data = await entityDataset(engine, m, rows, CUTOFF);
    if (shift) {
      const f = data.features.find((x) => x.name === shift.feature)!;
      assert.equal(f.kind, 'numeric');
      if (f.kind === 'numeric') for (let i = 0; i < f.values.length; i++) f.values[i] = f.values[i]! + shift.by;
    }
    await log.record(m, 'entities', new Map(), rows, data, predictDataset(m, data), at);
  }
  await log.close();
}

const daysBefore = (now: Date, n: number) =>
  Array.from({ length: n }, (_, i) => new Date(now.getTime() - (n - 1 - i) * DAY));

test('traffic drawn from the training distribution: low PSI everywhere, no retraining proposed; volume per day', async () => {
  const now = new Date('2025-07-05T18:00:00Z');
  await serve(daysBefore(now, 5), 300);
  const r = await monitorModels(ws, { model: 'customers.churned', since: '2025-07-01', now, record: false });
  const mm = r.models[0]!;
  assert.equal(mm.records, 1500);
  assert.equal(mm.scored, 1500);
  assert.ok(
    mm.features.every((f) => f.psi < 0.1),
    `max PSI ${mm.features[0]!.feature} ${mm.features[0]!.psi}`,
  );
  assert.ok(mm.prediction!.psi < 0.1, `prediction PSI ${mm.prediction!.psi}`);
  assert.equal(mm.retrain.proposed, false);
  assert.equal(r.retrain, false);
  assert.deepEqual(mm.findings, []);
  assert.deepEqual(
    mm.volume.days,
    ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-04', '2025-07-05'].map((day) => ({ day, rows: 300 })),
  );
  assert.equal(mm.volume.today, 300);
  assert.equal(mm.volume.previousMean, 300);
  // Each day's rows came at 18:00, so by now (18:00) earlier days had all theirs too.
  assert.equal(mm.volume.previousByNow, 300);
  assert.equal(mm.volume.ratio, 1);
});

test('a feature whose values moved: high PSI, named first, retraining proposed with the commands', async () => {
  const now = new Date('2025-07-03T12:00:00Z');
  await serve(daysBefore(now, 3), 400, { feature: 'age', by: 30 });
  const r = await monitorModels(ws, { model: 'customers.churned', since: '2025-07-01', now, record: false });
  const mm = r.models[0]!;
  assert.equal(mm.features[0]!.feature, 'age');
  assert.ok(mm.features[0]!.psi > 1, `age PSI ${mm.features[0]!.psi}`);
  assert.ok(mm.features[1]!.psi < 0.1, 'the other features did not move');
  assert.equal(mm.retrain.proposed, true);
  assert.match(mm.retrain.reasons[0]!, /^age PSI/);
  assert.deepEqual(mm.retrain.commands, [
    'fathom explore',
    'fathom features',
    'fathom train --target customers.churned',
  ]);
  assert.deepEqual(
    mm.findings.map((f) => f.kind),
    ['feature-drift'],
  );
});

test('a time-dependent feature that moved is reported apart and alone proposes no retraining', async () => {
  const now = new Date('2025-07-03T12:00:00Z');
  await serve(daysBefore(now, 3), 400, { feature: 'TIME_SINCE(signed_up_at)', by: 365 });
  const mm = (await monitorModels(ws, { model: 'customers.churned', since: '2025-07-01', now, record: false }))
    .models[0]!;
  const top = mm.features[0]!;
  assert.equal(top.feature, 'TIME_SINCE(signed_up_at)');
  assert.equal(top.timeDependent, true);
  assert.equal(top.drifted, true);
  assert.equal(mm.retrain.proposed, false);
  assert.deepEqual(
    mm.findings.map((f) => f.kind),
    ['time-drift'],
  );
});

test('no traffic in the window is a finding; too few rows are shown but not judged', async () => {
  const now = new Date('2025-07-03T12:00:00Z');
  const quiet = (await monitorModels(ws, { model: 'customers.churned', since: '2025-07-01', now, record: false }))
    .models[0]!;
  assert.equal(quiet.records, 0);
  assert.deepEqual(
    quiet.findings.map((f) => f.kind),
    ['no-traffic'],
  );
  assert.deepEqual(
    quiet.volume.days.map((d) => d.rows),
    [0, 0, 0],
  );

  await serve([now], 20, { feature: 'age', by: 30 });
  const few = (await monitorModels(ws, { model: 'customers.churned', since: '2025-07-01', now, record: false }))
    .models[0]!;
  assert.equal(few.scored, 20);
  assert.ok(few.features[0]!.psi > 0.25);
  assert.equal(few.retrain.proposed, false);
  assert.deepEqual(
    few.findings.map((f) => f.kind),
    ['few-rows'],
  );
});

test('a day of traffic well below the previous days is a volume finding', async () => {
  const now = new Date('2025-07-04T23:00:00Z');
  const days = daysBefore(now, 4);
  await serve(days.slice(0, 3), 300);
  await serve([now], 30);
  const mm = (await monitorModels(ws, { model: 'customers.churned', since: '2025-07-01', now, record: false }))
    .models[0]!;
  assert.equal(mm.volume.today, 30);
  assert.equal(mm.volume.previousMean, 300);
  assert.equal(mm.volume.ratio, 0.1);
  assert.ok(mm.findings.some((f) => f.kind === 'volume-change' && /a drop/.test(f.message)));
});

test('fathom monitor: a report (exit 0) that proposes retraining, exit 1 with --fail-on-drift, each run a ledger entry', async () => {
  const now = new Date();
  await serve(daysBefore(now, 2), 300, { feature: 'age', by: 30 });
  const monitor = (...args: string[]) => runFathom(['monitor', ...args], { cwd: dir, env });

  const human = await monitor('--since', '3d');
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /customers\.churned@1/);
  assert.match(human.stdout, /retraining proposed \(age PSI/);
  assert.match(human.stdout, /fathom explore && fathom features && fathom train --target customers\.churned/);

  const json = await monitor('--json', '--since', '3d', '--fail-on-drift');
  assert.equal(json.code, 1);
  const report = json.json(); // exactly one JSON document, even on exit 1
  assert.equal(report.retrain, true);
  assert.equal(report.models[0].features[0].feature, 'age');
  assert.match(json.stderr, /retraining proposed for customers\.churned/);

  const log = await runFathom(['log', '--json', '-n', '1'], { cwd: dir, env });
  const entry = log.json().entries[0];
  assert.equal(entry.kind, MONITOR_KIND);
  assert.equal(entry.status, 'recorded');
  assert.equal(entry.seq, report.seq);
  assert.equal(entry.detail.retrain, true);
  assert.equal(entry.detail.models[0].top[0].feature, 'age');

  await rm(servingDir(ws), { recursive: true, force: true });
  await serve(daysBefore(now, 2), 300);
  const calm = await monitor('--json', '--since', '3d', '--fail-on-drift');
  assert.equal(calm.code, 0, calm.stderr);
  assert.equal(calm.json().retrain, false);

  const bad = await monitor('--since', 'last tuesday');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--since must be an ISO date or time, or a span like 7d/);
  const badThreshold = await monitor('--threshold', '-1');
  assert.equal(badThreshold.code, 2);
});

test('without a model named: models with a serving log, and production models, whose silence is a finding', async () => {
  const now = new Date('2025-07-03T12:00:00Z');
  const none = await monitorModels(ws, { since: '2025-07-01', now, record: false });
  assert.deepEqual(none.models, [], 'a candidate that served nothing is not monitored');
  await serve([now], 50);
  const served = await monitorModels(ws, { since: '2025-07-01', now, record: false });
  assert.deepEqual(
    served.models.map((x) => [x.model, x.records]),
    [['customers.churned', 50]],
  );
  await rm(servingDir(ws), { recursive: true, force: true });
  await runFathom(['promote', 'customers.churned@1', 'production', '--yes', '-q'], { cwd: dir, env });
  const silent = await monitorModels(ws, { since: '2025-07-01', now, record: false });
  assert.deepEqual(
    silent.models.map((x) => [x.model, x.stage, x.records, x.findings.map((f) => f.kind)]),
    [['customers.churned', 'production', 0, ['no-traffic']]],
  );
});
