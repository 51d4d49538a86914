import type { Feature, LabelledDataset } from '../dataset.js';

/** The listed rows of a dataset as a dataset of their own (copied; categories shared). */
export function subsetDataset(data: LabelledDataset, rows: ArrayLike<number>): LabelledDataset {
  const pick = (a: Float64Array) => Float64Array.from(rows, (r) => a[r]!);
  const features = data.features.map((f): Feature =>
    f.kind === 'numeric' ? { name: f.name, kind: 'numeric', values: pick(f.values) } : { name: f.name, kind: 'categorical', codes: Int32Array.from(rows, (r) => f.codes[r]!), categories: f.categories },
  );
  return {
    rows: rows.length,
    features,
    task: data.task,
    target: pick(data.target),
    targetName: data.targetName,
    ...(data.groups ? { groups: Int32Array.from(rows, (r) => data.groups![r]!) } : {}),
    ...(data.time ? { time: pick(data.time) } : {}),
  };
}
