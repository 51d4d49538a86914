/** JS functions the SQLite engine registers so the SQLite dialect's fragments can run. */
import type Database from 'better-sqlite3';

interface Accumulator {
  values: number[];
  q: number;
}

/**
 * Seeded random numbers for `sample`. Each seed has its own generator, and the engine calls
 * `reset` before every statement, so the k-th row a statement scans always gets the same key.
 */
export interface SeededRandom {
  reset(): void;
}

export function registerSqliteFunctions(db: Database.Database): SeededRandom {
  const patterns = new Map<string, RegExp>();
  // `X REGEXP Y` calls regexp(Y, X). Flag u: code points, as RE2 (DuckDB) and Postgres match.
  db.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (pattern === null || value === null) return null;
    const source = String(pattern);
    let re = patterns.get(source);
    if (re === undefined) {
      re = new RegExp(source, 'u');
      patterns.set(source, re);
    }
    return re.test(String(value)) ? 1 : 0;
  });

  // @types/better-sqlite3 types `step` as taking one argument; SQLite passes one per SQL argument.
  const step = (acc: Accumulator, value: unknown, q: unknown): void => {
    acc.q = Number(q);
    const n = typeof value === 'bigint' || typeof value === 'number' ? Number(value) : Number.NaN;
    if (!Number.isNaN(n)) acc.values.push(n);
  };
  db.aggregate('fathom_quantile_cont', {
    start: (): Accumulator => ({ values: [], q: 0 }),
    step: step as (acc: Accumulator) => void,
    result: (acc: Accumulator) => quantileCont(acc.values, acc.q),
  });

  const states = new Map<string, number>();
  db.function('fathom_seeded_random', { deterministic: false }, (seed: unknown) => {
    const key = String(seed);
    const next = mulberry32(states.get(key) ?? Number(BigInt.asUintN(32, BigInt(key))));
    states.set(key, next.state);
    return next.value;
  });
  return { reset: () => states.clear() };
}

/** Linear interpolation between closest ranks: the definition DuckDB and Postgres use. */
export function quantileCont(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const pos = q * (values.length - 1);
  const lo = Math.floor(pos);
  const low = values[lo] as number;
  const high = values[Math.ceil(pos)] as number;
  return low + (high - low) * (pos - lo);
}

function mulberry32(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { state: next, value: ((t ^ (t >>> 14)) >>> 0) / 4294967296 };
}
