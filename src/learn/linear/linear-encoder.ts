import type { Dataset, Feature } from '../dataset.js';

/**
 * How a linear model turns features into a dense design matrix: numeric features are
 * standardised (missing values imputed with the mean, plus a 0/1 "was missing" column when
 * any were missing in training), categorical ones one-hot encoded with rare levels pooled into
 * one "other" column (a level unseen in training lands there too). Plain JSON, so it is part
 * of the saved model and features are matched by name and category text, not by position.
 */
export interface LinearEncoder {
  readonly numeric: ReadonlyArray<{ name: string; mean: number; sd: number; indicator: boolean }>;
  readonly categorical: ReadonlyArray<{ name: string; levels: string[]; other: boolean }>;
  /** Column names of the design matrix, in order: `x`, `x (missing)`, `c=level`, `c=(other)`. */
  readonly columns: readonly string[];
}

export interface EncoderOptions {
  /** A level seen fewer times is pooled into "other" (default 10 or 1% of rows, the smaller). */
  readonly minLevelCount?: number;
  /** At most this many levels per categorical feature get their own column (default 100). */
  readonly maxLevels?: number;
}

export const OTHER = '(other)';
export const MISSING_LEVEL = '(missing)';

export function fitEncoder(data: Dataset, rows: ArrayLike<number>, options: EncoderOptions = {}): LinearEncoder {
  const minCount = options.minLevelCount ?? Math.max(1, Math.min(10, Math.floor(rows.length * 0.01)));
  const maxLevels = options.maxLevels ?? 100;
  const numeric: Array<LinearEncoder['numeric'][number]> = [];
  const categorical: Array<LinearEncoder['categorical'][number]> = [];
  const columns: string[] = [];
  for (const f of data.features) {
    if (f.kind === 'numeric') {
      let n = 0;
      let sum = 0;
      for (let j = 0; j < rows.length; j++) {
        const v = f.values[rows[j]!]!;
        if (!Number.isNaN(v)) {
          n++;
          sum += v;
        }
      }
      const mean = n === 0 ? 0 : sum / n;
      let ss = 0;
      for (let j = 0; j < rows.length; j++) {
        const v = f.values[rows[j]!]!;
        if (!Number.isNaN(v)) ss += (v - mean) ** 2;
      }
      const sd = n === 0 ? 0 : Math.sqrt(ss / n);
      const indicator = n < rows.length && n > 0;
      // A constant column carries nothing a linear model can use; sd 0 marks it as dropped.
      numeric.push({ name: f.name, mean, sd, indicator });
    } else {
      const counts = new Float64Array(f.categories.length + 1);
      for (let j = 0; j < rows.length; j++) counts[f.codes[rows[j]!]! + 1]!++;
      const ranked = [...Array(f.categories.length + 1).keys()]
        .filter((c) => counts[c]! >= minCount)
        .sort((a, b) => counts[b]! - counts[a]! || a - b)
        .slice(0, maxLevels);
      const levels = ranked.map((c) => (c === 0 ? MISSING_LEVEL : f.categories[c - 1]!));
      const pooled = rows.length - ranked.reduce((s, c) => s + counts[c]!, 0);
      categorical.push({ name: f.name, levels, other: pooled > 0 });
    }
  }
  // Column order is the design matrix's: all numeric features, then all categorical ones.
  for (const f of numeric) {
    if (f.sd > 0) columns.push(f.name);
    if (f.indicator) columns.push(`${f.name} (missing)`);
  }
  for (const f of categorical) {
    for (const l of f.levels) columns.push(`${f.name}=${l}`);
    if (f.other) columns.push(`${f.name}=${OTHER}`);
  }
  return { numeric, categorical, columns };
}

/** The design matrix (row-major, rows × columns) for the listed rows of `data`. */
export function encode(enc: LinearEncoder, data: Dataset, rows?: ArrayLike<number>): Float64Array {
  const n = rows ? rows.length : data.rows;
  const p = enc.columns.length;
  const out = new Float64Array(n * p);
  const byName = new Map<string, Feature>(data.features.map((f) => [f.name, f]));
  let col = 0;
  for (const spec of enc.numeric) {
    const f = byName.get(spec.name);
    if (!f || f.kind !== 'numeric')
      throw new Error(`linear model: numeric feature ${spec.name} is missing from the data`);
    const keep = spec.sd > 0;
    for (let j = 0; j < n; j++) {
      const v = f.values[rows ? rows[j]! : j]!;
      const missing = Number.isNaN(v);
      if (keep) out[j * p + col] = missing ? 0 : (v - spec.mean) / spec.sd;
      if (spec.indicator) out[j * p + col + (keep ? 1 : 0)] = missing ? 1 : 0;
    }
    col += (keep ? 1 : 0) + (spec.indicator ? 1 : 0);
  }
  for (const spec of enc.categorical) {
    const f = byName.get(spec.name);
    if (!f || f.kind !== 'categorical')
      throw new Error(`linear model: categorical feature ${spec.name} is missing from the data`);
    const levelIndex = new Map(spec.levels.map((l, i) => [l, i]));
    // Map the dataset's own codes to columns once, not per row.
    const codeToCol = new Int32Array(f.categories.length + 1).fill(-1);
    for (let c = -1; c < f.categories.length; c++) {
      const at = levelIndex.get(c === -1 ? MISSING_LEVEL : f.categories[c]!);
      codeToCol[c + 1] = at ?? (spec.other ? spec.levels.length : -1);
    }
    for (let j = 0; j < n; j++) {
      const at = codeToCol[f.codes[rows ? rows[j]! : j]! + 1]!;
      if (at >= 0) out[j * p + col + at] = 1;
    }
    col += spec.levels.length + (spec.other ? 1 : 0);
  }
  return out;
}

/** The feature each design column comes from, in column order. */
export function columnFeatures(enc: LinearEncoder): string[] {
  const out: string[] = [];
  for (const f of enc.numeric) {
    if (f.sd > 0) out.push(f.name);
    if (f.indicator) out.push(f.name);
  }
  for (const f of enc.categorical) for (let i = 0; i < f.levels.length + (f.other ? 1 : 0); i++) out.push(f.name);
  return out;
}
