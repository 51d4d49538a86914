import type { FanOut } from './round-two-types.js';

/**
 * Child rows per parent over every parent (a parent with no child counts 0), and the child
 * rows whose key has no parent.
 */
export function fanOut(parents: ReadonlySet<string>, counts: ReadonlyMap<string, number>): { fanOut: FanOut; orphanRows: number } {
  const per = new Float64Array(parents.size);
  let i = 0;
  let childless = 0;
  let sum = 0;
  for (const k of parents) {
    const n = counts.get(k) ?? 0;
    per[i++] = n;
    sum += n;
    if (n === 0) childless++;
  }
  per.sort();
  let orphanRows = 0;
  for (const [k, n] of counts) if (!parents.has(k)) orphanRows += n;
  // Nearest-rank percentile: a count that some parent really has.
  const at = (q: number) => (per.length === 0 ? 0 : per[Math.max(0, Math.ceil(q * per.length) - 1)]!);
  return {
    fanOut: { parents: parents.size, childless, mean: per.length === 0 ? 0 : Math.round((sum / per.length) * 1000) / 1000, p50: at(0.5), p95: at(0.95), max: per.length === 0 ? 0 : per[per.length - 1]! },
    orphanRows,
  };
}
