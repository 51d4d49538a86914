import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainGbdt } from './index.js';
import { syntheticTable } from './test-data.fixture.js';
import { rawColumns } from './gbdt-model.js';
import { coverOf, goesLeftOnValue } from './tree-shap.js';
import type { GbdtTree } from './gbdt-tree.js';

test('contributions plus bias equal the raw score for every row (binary and multiclass)', async () => {
  for (const kind of ['binary', 'multiclass'] as const) {
    const data = syntheticTable(600, kind);
    const model = await trainGbdt(data, { numRounds: 15, minDataInLeaf: 5 }, { threads: 1 });
    const raw = model.predictRaw(data);
    const e = model.explain(data);
    const K = e.outputs;
    const F = e.features.length;
    assert.equal(K, kind === 'binary' ? 1 : 3);
    for (let r = 0; r < data.rows; r++) {
      for (let k = 0; k < K; k++) {
        let sum = e.bias[r * K + k]!;
        for (let f = 0; f < F; f++) sum += e.contributions[(r * K + k) * F + f]!;
        assert.ok(Math.abs(sum - raw[r * K + k]!) < 1e-9, `${kind} row ${r} output ${k}: ${sum} vs ${raw[r * K + k]}`);
      }
    }
    const one = model.explain(data, 17);
    assert.deepEqual(one.rowIndex, [17]);
    assert.deepEqual(one.contributions, e.contributions.slice(17 * K * F, 18 * K * F));
  }
});

/** E[tree(x) | features in `known` fixed to x]: unknown splits average children by cover. */
function conditional(tree: GbdtTree, values: Float64Array, known: Set<number>, node = 0): number {
  if (tree.splitFeature.length === 0) return tree.leafValue[0]!;
  if (node < 0) return tree.leafValue[~node]!;
  const l = tree.left[node]!;
  const r = tree.right[node]!;
  const f = tree.splitFeature[node]!;
  if (known.has(f)) return conditional(tree, values, known, goesLeftOnValue(tree, node, values[f]!) ? l : r);
  const c = tree.nodeCount[node]!;
  return (
    (coverOf(tree, l) * conditional(tree, values, known, l) + coverOf(tree, r) * conditional(tree, values, known, r)) /
    c
  );
}

test('TreeSHAP equals brute-force Shapley values of the cover-weighted conditional expectation', async () => {
  const data = syntheticTable(400, 'regression');
  const model = await trainGbdt(data, { numRounds: 3, numLeaves: 8, minDataInLeaf: 10 }, { threads: 1 });
  const columns = rawColumns(data, model.featureNames, model.state.featureBins);
  const F = model.featureNames.length;
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  for (const row of [0, 5, 99, 250]) {
    const values = Float64Array.from(columns, (c) => c[row]!);
    const v = (known: Set<number>): number => model.trees.reduce((s, t) => s + conditional(t, values, known), 0);
    const e = model.explain(data, row);
    for (let i = 0; i < F; i++) {
      let phi = 0;
      for (let mask = 0; mask < 1 << F; mask++) {
        if (mask & (1 << i)) continue;
        const s = new Set<number>();
        for (let f = 0; f < F; f++) if (mask & (1 << f)) s.add(f);
        const weight = (factorial(s.size) * factorial(F - s.size - 1)) / factorial(F);
        const withI = new Set(s).add(i);
        phi += weight * (v(withI) - v(s));
      }
      assert.ok(
        Math.abs(phi - e.contributions[i]!) < 1e-9,
        `row ${row} feature ${i}: brute ${phi} vs TreeSHAP ${e.contributions[i]}`,
      );
    }
    assert.ok(Math.abs(e.bias[0]! - model.state.initScores[0]! - v(new Set())) < 1e-9);
  }
});
