import type { Dataset, Feature, LabelledDataset } from '../dataset.js';

/**
 * `src[rows[j]]` for every j. A plain loop: `Float64Array.from(rows, fn)` goes through the
 * iterator protocol and took 340 ms to copy 14 columns of 160,000 rows.
 */
export function gather<T extends Float64Array | Int32Array>(src: T, rows: ArrayLike<number>): T {
  const out = new (src.constructor as new (n: number) => T)(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = src[rows[j]!]!;
  return out;
}

/** The features of the listed rows (copied; categories shared). */
export function subsetFeatures(data: Dataset, rows: ArrayLike<number>): Dataset {
  const features = data.features.map((f): Feature =>
    f.kind === 'numeric'
      ? { name: f.name, kind: 'numeric', values: gather(f.values, rows) }
      : { name: f.name, kind: 'categorical', codes: gather(f.codes, rows), categories: f.categories },
  );
  return { rows: rows.length, features };
}

/** The listed rows of a dataset as a dataset of their own (copied; categories shared). */
export function subsetDataset(data: LabelledDataset, rows: ArrayLike<number>): LabelledDataset {
  return {
    ...subsetFeatures(data, rows),
    task: data.task,
    target: gather(data.target, rows),
    targetName: data.targetName,
    ...(data.groups ? { groups: gather(data.groups, rows) } : {}),
    ...(data.time ? { time: gather(data.time, rows) } : {}),
  };
}
