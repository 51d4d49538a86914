import type { Engine } from '../../engine/engine.js';
import type { TargetFact } from '../../catalog/catalog.js';
import type { ColumnProfile } from '../profile-table.js';
import type { ClassShare, TargetSummary } from '../../catalog/round-two-types.js';

/** Classes listed at most; a "multiclass" target with more is summarised by these. */
const MAX_CLASSES = 100;
/** A minority class below this share makes the target imbalanced. */
export const IMBALANCED_SHARE = 0.1;
const TRUE_LIKE = new Set(['true', '1', 'yes', 'y', 't']);

/**
 * The target's class balance, counted exactly in the engine (one GROUP BY), or for a
 * regression target its distribution from the profile.
 */
export async function targetSummary(
  engine: Engine,
  tableSql: string,
  column: ColumnProfile,
  kind: TargetFact['kind'],
  rows: number,
): Promise<TargetSummary> {
  const d = engine.dialect;
  const c = d.quoteIdent(column.name);
  if (kind === 'regression') {
    const s = column.stats;
    const notes = s.nulls > 0 ? [`${s.nulls} rows have no target value and are left out`] : [];
    return {
      kind,
      rows,
      missing: s.nulls,
      classes: null,
      positive: null,
      distribution: { mean: s.mean, stddev: s.stddev, quantiles: s.quantiles, histogram: s.histogram },
      notes,
    };
  }
  const result = await engine.query(
    `SELECT ${d.castText(c)} AS v, COUNT(*) AS n FROM ${tableSql} GROUP BY ${d.castText(c)} ORDER BY COUNT(*) DESC, ${d.castText(c)} LIMIT ${MAX_CLASSES + 2}`,
  );
  let missing = 0;
  const counted: Array<{ value: string; count: number }> = [];
  for (const r of result.rows) {
    if (r.v === null) missing = Number(r.n);
    else counted.push({ value: String(r.v), count: Number(r.n) });
  }
  const shown = counted.slice(0, MAX_CLASSES);
  const present = rows - missing;
  const classes: ClassShare[] = shown.map((x) => ({ ...x, share: present > 0 ? x.count / present : 0 }));
  const notes: string[] = [];
  if (missing > 0) notes.push(`${missing} rows have no target value and are left out`);
  if (counted.length > MAX_CLASSES) notes.push(`more than ${MAX_CLASSES} classes: only the commonest are listed`);
  const minority = classes.at(-1);
  if (minority && classes.length > 1 && minority.share < IMBALANCED_SHARE) {
    notes.push(`imbalanced: the minority class ${minority.value} is ${(minority.share * 100).toFixed(1)}% of rows`);
  }
  return {
    kind,
    rows,
    missing,
    classes,
    positive: kind === 'binary' ? positiveClass(classes) : null,
    distribution: null,
    notes,
  };
}

/** The positive class of a binary target: a true-like value when there is one, else the minority. */
export function positiveClass(classes: readonly ClassShare[]): string | null {
  return classes.find((c) => TRUE_LIKE.has(c.value.toLowerCase()))?.value ?? classes.at(-1)?.value ?? null;
}
