import type { Engine, Params, SqlValue } from './engine.js';

/**
 * A result as columns rather than rows, for code that works on typed arrays (models, feature
 * statistics). A column whose non-null values are all numbers is a Float64Array with NaN for
 * NULL; any other column keeps its values. Booleans stay values: 0/1 is a modelling choice.
 */
export type ColumnData =
  | { readonly name: string; readonly kind: 'number'; readonly data: Float64Array }
  | { readonly name: string; readonly kind: 'values'; readonly data: SqlValue[] };

export interface Columns {
  readonly rows: number;
  readonly columns: readonly ColumnData[];
}

interface Builder {
  name: string;
  numbers: Float64Array | null; // null once a non-number value was seen
  values: SqlValue[] | null; // filled only after switching away from numbers
}

/** Read a query's result as columns, streaming it so only the typed arrays are held. */
export async function readColumns(engine: Engine, sql: string, params?: Params): Promise<Columns> {
  let builders: Builder[] | null = null;
  let rows = 0;
  for await (const batch of engine.stream(sql, params)) {
    for (const row of batch) {
      builders ??= Object.keys(row).map((name) => ({ name, numbers: new Float64Array(1024), values: null }));
      for (const b of builders) push(b, rows, row[b.name] ?? null);
      rows++;
    }
  }
  return {
    rows,
    columns: (builders ?? []).map((b): ColumnData =>
      b.numbers
        ? { name: b.name, kind: 'number', data: b.numbers.slice(0, rows) }
        : { name: b.name, kind: 'values', data: b.values! },
    ),
  };
}

function push(b: Builder, at: number, value: SqlValue): void {
  if (b.numbers) {
    if (value === null || typeof value === 'number') {
      if (at === b.numbers.length) {
        const grown = new Float64Array(b.numbers.length * 2);
        grown.set(b.numbers);
        b.numbers = grown;
      }
      b.numbers[at] = value === null ? Number.NaN : value;
      return;
    }
    // First non-number: this column holds values after all.
    b.values = Array.from(b.numbers.subarray(0, at), (n) => (Number.isNaN(n) ? null : n));
    b.numbers = null;
  }
  b.values!.push(value);
}
