import type { FanOut } from '../../catalog/round-two-types.js';

/**
 * The same figures as fanOutInEngine, from key counts fetched out of two engines (child and
 * parent in different sources). Child rows per parent over every parent (a parent with no child counts 0), and the child
 * rows whose key has no parent.
 */
export function fanOut(
  parents: ReadonlySet<string>,
  counts: ReadonlyMap<string, number>,
): { fanOut: FanOut; orphanRows: number } {
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
  // Linear interpolation (type 7), as the engines' quantile_cont/percentile_cont in fan-out-sql.ts.
  const at = (q: number) => {
    if (per.length === 0) return 0;
    const pos = (per.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, per.length - 1);
    return Math.round((per[lo]! + (per[hi]! - per[lo]!) * (pos - lo)) * 1000) / 1000;
  };
  return {
    fanOut: {
      parents: parents.size,
      childless,
      mean: per.length === 0 ? 0 : Math.round((sum / per.length) * 1000) / 1000,
      p50: at(0.5),
      p95: at(0.95),
      max: per.length === 0 ? 0 : per[per.length - 1]!,
    },
    orphanRows,
  };
}
