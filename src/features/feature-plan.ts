import type { ColumnInfo, SqlValue } from '../engine/engine.js';
import type { ColumnData } from '../engine/read-columns.js';
import type { Feature } from '../learn/dataset.js';

/**
 * How each column of a table becomes a model feature. Saved with the model, so serving and
 * batch scoring rebuild exactly the features the model was trained on from raw rows.
 */
export type Treatment = 'numeric' | 'boolean' | 'datetime' | 'categorical';

export interface PlannedFeature {
  readonly column: string;
  readonly treatment: Treatment;
  /** Categorical levels in code order (sorted text); other values read as missing. */
  readonly categories?: readonly string[];
}

export interface DroppedColumn {
  readonly column: string;
  readonly reason: string;
}

export interface FeaturePlan {
  readonly features: readonly PlannedFeature[];
  readonly dropped: readonly DroppedColumn[];
}

/** A text column with at most this share of distinct values (of non-null rows) is categorical. */
const MAX_CATEGORICAL_SHARE = 0.5;
const ID_NAME = /(^id$|_id$|^id_|Id$|uuid|guid|(^|_)key$)/i;

/** Decide each column's treatment from its type and its values (the target column excluded). */
export function planFeatures(
  info: readonly ColumnInfo[],
  columns: readonly ColumnData[],
  rows: number,
  exclude: ReadonlyMap<string, string>,
): FeaturePlan {
  const features: PlannedFeature[] = [];
  const dropped: DroppedColumn[] = [];
  info.forEach((c, i) => {
    const reason = exclude.get(c.name);
    if (reason !== undefined) {
      if (reason !== '') dropped.push({ column: c.name, reason });
      return;
    }
    const data = columns[i]!;
    const drop = (why: string) => dropped.push({ column: c.name, reason: why });
    switch (c.logicalType) {
      case 'integer':
      case 'float':
      case 'decimal': {
        const v = toNumbers(data, 'numeric');
        const s = distinctStats(v);
        if (s.nonNull === 0) return drop('all values missing');
        if (s.distinct === 1) return drop('constant');
        if (
          c.logicalType === 'integer' &&
          s.distinct === s.nonNull &&
          s.nonNull > 20 &&
          (ID_NAME.test(c.name) || s.max - s.min + 1 === s.nonNull)
        ) {
          return drop('identifier: an integer unique per row');
        }
        return features.push({ column: c.name, treatment: 'numeric' });
      }
      case 'boolean':
      case 'date':
      case 'timestamp': {
        const treatment: Treatment = c.logicalType === 'boolean' ? 'boolean' : 'datetime';
        const s = distinctStats(toNumbers(data, treatment));
        if (s.nonNull === 0) return drop('all values missing');
        if (s.distinct === 1) return drop('constant');
        return features.push({ column: c.name, treatment });
      }
      case 'string': {
        const counts = new Map<string, number>();
        let nonNull = 0;
        let length = 0;
        for (let r = 0; r < rows; r++) {
          const v = valueAt(data, r);
          if (v === null) continue;
          const t = String(v);
          nonNull++;
          length += t.length;
          counts.set(t, (counts.get(t) ?? 0) + 1);
        }
        if (nonNull === 0) return drop('all values missing');
        if (counts.size === 1) return drop('constant');
        if (counts.size === nonNull && nonNull > 20) return drop('identifier: text unique per row');
        if (counts.size > MAX_CATEGORICAL_SHARE * nonNull && nonNull > 20) {
          return drop(
            `free text: ${counts.size} distinct values in ${nonNull} rows (mean length ${(length / nonNull).toFixed(0)})`,
          );
        }
        return features.push({ column: c.name, treatment: 'categorical', categories: [...counts.keys()].sort() });
      }
      default:
        return drop(`type ${c.physicalType} (${c.logicalType}) is not used for learning yet`);
    }
  });
  return { features, dropped };
}

/** Build the model features of a plan from raw columns (by column name). */
export function buildFeatures(
  plan: FeaturePlan,
  columns: readonly ColumnData[],
  rows: number,
  keep?: Int32Array,
): Feature[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const n = keep ? keep.length : rows;
  return plan.features.map((p): Feature => {
    const data = byName.get(p.column);
    if (!data) throw new Error(`column ${p.column} is missing`);
    if (p.treatment === 'categorical') {
      const index = new Map(p.categories!.map((c, i) => [c, i]));
      const codes = new Int32Array(n);
      for (let j = 0; j < n; j++) {
        const v = valueAt(data, keep ? keep[j]! : j);
        codes[j] = v === null ? -1 : (index.get(String(v)) ?? -1);
      }
      return { name: p.column, kind: 'categorical', codes, categories: p.categories! };
    }
    const all = toNumbers(data, p.treatment);
    if (!keep) return { name: p.column, kind: 'numeric', values: all };
    const values = new Float64Array(n);
    for (let j = 0; j < n; j++) values[j] = all[keep[j]!]!;
    return { name: p.column, kind: 'numeric', values };
  });
}

export function valueAt(data: ColumnData, row: number): SqlValue {
  if (data.kind === 'number') {
    const v = data.data[row]!;
    return Number.isNaN(v) ? null : v;
  }
  return data.data[row] ?? null;
}

/** Numbers for a numeric, boolean (0/1) or datetime (epoch ms) column; NaN for missing. */
export function toNumbers(data: ColumnData, treatment: Exclude<Treatment, 'categorical'>): Float64Array {
  if (data.kind === 'number') return data.data;
  const out = new Float64Array(data.data.length);
  const values = data.data;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] =
      v === null
        ? Number.NaN
        : treatment === 'boolean'
          ? v === true || v === 1 || v === 'true'
            ? 1
            : 0
          : treatment === 'datetime'
            ? Date.parse(String(v))
            : Number(v);
  }
  return out;
}

/**
 * Non-missing count, distinct count, min and max, by sorting a copy: a Set of 200,000 numbers
 * per column spent most of a 200k-row load in the garbage collector.
 */
function distinctStats(v: Float64Array): { nonNull: number; distinct: number; min: number; max: number } {
  const sorted = v.slice().sort(); // typed-array sort puts NaN last
  let nonNull = sorted.length;
  while (nonNull > 0 && Number.isNaN(sorted[nonNull - 1]!)) nonNull--;
  let distinct = nonNull > 0 ? 1 : 0;
  for (let i = 1; i < nonNull; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  return { nonNull, distinct, min: sorted[0]!, max: sorted[nonNull - 1]! };
}
