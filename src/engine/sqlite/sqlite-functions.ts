/** JS functions the SQLite engine registers so the SQLite dialect's fragments can run. */
import type Database from 'better-sqlite3';
import { hex4, wordPattern } from '../sql-fragments.js';

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

  // Feature synthesis uses STDDEV_SAMP and REGR_SLOPE, which DuckDB and Postgres have built in.
  const num = (v: unknown): number => (typeof v === 'bigint' || typeof v === 'number' ? Number(v) : Number.NaN);
  db.aggregate('stddev_samp', {
    start: (): Moments => ({ n: 0, mean: 0, m2: 0 }),
    step: (acc: Moments, value: unknown) => addMoment(acc, num(value)),
    result: (acc: Moments) => (acc.n < 2 ? null : Math.sqrt(acc.m2 / (acc.n - 1))),
  });
  db.aggregate('regr_slope', {
    start: (): Slope => ({ n: 0, mx: 0, my: 0, sxx: 0, sxy: 0 }),
    step: ((acc: Slope, y: unknown, x: unknown) => addPoint(acc, num(x), num(y))) as (acc: Slope) => void,
    result: (acc: Slope) => (acc.n < 1 || acc.sxx === 0 ? null : acc.sxy / acc.sxx),
  });
  // The same word pattern the other dialects spell out in SQL (equal to /\S+/gu).
  const word = new RegExp(
    wordPattern((c) => `\\u{${hex4(c)}}`),
    'gu',
  );
  db.function('fathom_word_count', { deterministic: true }, (value: unknown) =>
    value === null ? null : (String(value).match(word) ?? []).length,
  );

  const states = new Map<string, number>();
  db.function('fathom_seeded_random', { deterministic: false }, (seed: unknown) => {
    const key = String(seed);
    const next = mulberry32(states.get(key) ?? Number(BigInt.asUintN(32, BigInt(key))));
    states.set(key, next.state);
    return next.value;
  });
  return { reset: () => states.clear() };
}

interface Moments {
  n: number;
  mean: number;
  m2: number;
}

/** Welford's update: a running variance that stays exact for large values with small spread. */
function addMoment(acc: Moments, x: number): void {
  if (Number.isNaN(x)) return;
  acc.n += 1;
  const d = x - acc.mean;
  acc.mean += d / acc.n;
  acc.m2 += d * (x - acc.mean);
}

interface Slope {
  n: number;
  mx: number;
  my: number;
  sxx: number;
  sxy: number;
}

/** The least-squares slope of y on x, updated one pair at a time (rows with a null skipped, as SQL's REGR_SLOPE). */
function addPoint(acc: Slope, x: number, y: number): void {
  if (Number.isNaN(x) || Number.isNaN(y)) return;
  acc.n += 1;
  const dx = x - acc.mx;
  acc.mx += dx / acc.n;
  acc.my += (y - acc.my) / acc.n;
  acc.sxx += dx * (x - acc.mx);
  acc.sxy += dx * (y - acc.my);
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
