import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binDataset, findFeatureBins, MISSING_BIN, numericBinFinder } from './feature-bins.js';
import { seededRandom } from './seeded-random.js';
import { numeric } from './test-data.fixture.js';

test('the grid bin finder agrees with a linear scan of the edges', () => {
  const random = seededRandom(1);
  for (const skew of [1, 8]) {
    const values = Float64Array.from({ length: 5000 }, () => random() ** skew * 100);
    const bins = findFeatureBins(numeric('x', values), 255, null);
    assert.equal(bins.kind, 'numeric');
    if (bins.kind !== 'numeric') return;
    assert.ok(bins.upper.length <= 255 && bins.upper[bins.upper.length - 1] === Infinity);
    const find = numericBinFinder(bins.upper);
    const probes = [...values.slice(0, 2000), ...bins.upper.slice(0, -1), -1, 1e9, 0];
    for (const v of probes) {
      let expect = 0;
      while (!(v <= bins.upper[expect]!)) expect++;
      assert.equal(find(v), expect, `value ${v}`);
    }
  }
});

test('few distinct values get one bin each; missing values get bin 255; layout is row-major', () => {
  const x = Float64Array.of(3, 1, 2, NaN, 2, 1);
  const y = Float64Array.of(0, 0, 0, 0, 0, 1);
  const features = [numeric('x', x), numeric('y', y)];
  const bins = features.map((f) => findFeatureBins(f, 255, null));
  const binned = binDataset({ rows: 6, features }, ['x', 'y'], bins, false);
  assert.deepEqual([...binned], [2, 0, 0, 0, 1, 0, MISSING_BIN, 0, 1, 0, 0, 1]);
});
