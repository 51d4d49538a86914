import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelledDataset } from '../learn/dataset.js';
import { seededRandom } from '../learn/eval/seeded-random.js';
import { trainLinear } from '../learn/linear/index.js';
import { trainGbdt } from '../learn/gbdt/index.js';
import { FathomModel, type FathomModelJson, type MemberJson } from './fathom-model.js';
import { explainModel, gbdtGainImportance, meanAbsoluteShap } from './explain-model.js';

function data(): LabelledDataset {
  const rng = seededRandom(3);
  const n = 250;
  const num1 = Float64Array.from({ length: n }, (_, i) => (i % 13 === 0 ? Number.NaN : rng.normal()));
  const num2 = Float64Array.from({ length: n }, () => rng.normal() * 10);
  const codes = Int32Array.from({ length: n }, () => rng.int(3));
  const target = Float64Array.from({ length: n }, (_, i) =>
    (Number.isNaN(num1[i]!) ? 0 : num1[i]!) * 2 + codes[i]! - 1 + rng.normal() * 0.5 > 0 ? 1 : 0,
  );
  return {
    rows: n,
    features: [
      { name: 'num1', kind: 'numeric', values: num1 },
      { name: 'cat1', kind: 'categorical', codes, categories: ['a', 'b', 'c'] },
      { name: 'num2', kind: 'numeric', values: num2 },
    ],
    task: { kind: 'binary', classes: ['0', '1'] },
    target,
    targetName: 't',
  };
}

function model(d: LabelledDataset, members: MemberJson[]): FathomModel {
  const plan = {
    features: d.features.map((f) => ({
      column: f.name,
      treatment: f.kind === 'numeric' ? ('numeric' as const) : ('categorical' as const),
    })),
    dropped: [],
  };
  const j: FathomModelJson = { format: 'fathom.model', version: 1, task: d.task, target: 't', plan, members };
  return new FathomModel(j);
}

const logit = (p: number) => Math.log(p / (1 - p));
const sumRow = (e: ReturnType<typeof explainModel>, r: number) =>
  e.bias[r]! +
  Array.from(e.contributions.subarray(r * e.features.length, (r + 1) * e.features.length)).reduce((s, v) => s + v, 0);

test('linear and GBDT explanations add up to the log-odds; an ensemble to the weighted mean of margins', async () => {
  const d = data();
  const lin = {
    weight: 1,
    family: 'linear' as const,
    params: {},
    trial: 'a',
    fit: 'refit' as const,
    models: [trainLinear(d, { lambda: 0.01 }).toJSON()],
  };
  const tree = {
    weight: 1,
    family: 'gbdt' as const,
    params: {},
    trial: 'b',
    fit: 'refit' as const,
    models: [(await trainGbdt(d, { numRounds: 15, numLeaves: 5, minDataInLeaf: 5 })).toJSON()],
  };
  for (const member of [lin, tree]) {
    const m = model(d, [member]);
    const e = explainModel(m, d);
    const p = m.predict(d).values;
    for (let r = 0; r < d.rows; r++)
      assert.ok(
        Math.abs(sumRow(e, r) - logit(p[r]!)) < 1e-6,
        `${member.family} row ${r}: ${sumRow(e, r)} vs ${logit(p[r]!)}`,
      );
    assert.equal(meanAbsoluteShap(e)[0]!.feature, 'num1', `${member.family}: num1 drives the target`);
    assert.ok(meanAbsoluteShap(e).find((x) => x.feature === 'num2')!.value < meanAbsoluteShap(e)[0]!.value / 3);
  }
  const both = model(d, [
    { ...lin, weight: 0.25 },
    { ...tree, weight: 0.75 },
  ]);
  const gain = gbdtGainImportance(both)!;
  assert.equal(gain[0]!.feature, 'num1');
  assert.ok(Math.abs(gain.reduce((s, g) => s + g.value, 0) - 1) < 1e-9, 'gain shares sum to 1');
  assert.equal(gbdtGainImportance(model(d, [lin])), null, 'no GBDT, no gain importance');
  const e = explainModel(both, d);
  const pl = model(d, [lin]).predict(d).values;
  const pt = model(d, [tree]).predict(d).values;
  for (let r = 0; r < 20; r++) assert.ok(Math.abs(sumRow(e, r) - (0.25 * logit(pl[r]!) + 0.75 * logit(pt[r]!))) < 1e-6);
});
