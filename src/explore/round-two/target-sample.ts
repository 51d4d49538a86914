import type { Engine, Row } from '../../engine/engine.js';
import { keyText } from './key-text.js';

/** Target rows read for association and leakage: enough for stable AUC and MI, bounded in memory. */
export const TARGET_SAMPLE_ROWS = 50_000;
const SEED = 42;
/** Alias of the target as text in the sample rows. */
export const TARGET_TEXT = 'fathom_target';
/** Alias of relationship i's parent key as text in the sample rows. */
export const keyAlias = (i: number): string => `fathom_key_${i}`;

export interface TargetSample {
  readonly rows: Row[];
  /** The sample's query: the same rows again, for a child aggregate restricted to their keys in the same engine. */
  readonly sql: string | null;
  readonly sampling: string;
}

/**
 * A seeded random sample of the target table's rows that have a target value: the columns
 * asked for, the target as text, and each parent key (one per relationship) as text so that
 * child aggregates join to it. Every row when the table is small, in a fixed order (the
 * engine's seeded hash), so the out-of-fold splits are the same on every run.
 */
export async function targetSample(
  engine: Engine,
  tableSql: string,
  columns: readonly string[],
  target: string,
  keys: ReadonlyArray<readonly string[]>,
  labelledRows: number,
): Promise<TargetSample> {
  const d = engine.dialect;
  const select = [
    ...columns.map((c) => d.quoteIdent(c)),
    `${d.castText(d.quoteIdent(target))} AS ${TARGET_TEXT}`,
    ...keys.map((k, i) => `${keyText(d, k)} AS ${keyAlias(i)}`),
  ];
  const inner = `(SELECT ${select.join(', ')} FROM ${tableSql} WHERE ${d.quoteIdent(target)} IS NOT NULL)`;
  const sql = labelledRows === 0 ? null : d.sample(inner, TARGET_SAMPLE_ROWS, SEED, labelledRows);
  const rows = sql === null ? [] : (await engine.query(sql)).rows;
  const sampling =
    rows.length >= labelledRows
      ? `all ${rows.length} rows with a target value`
      : `seeded random sample of ${rows.length} of ${labelledRows} rows with a target value (seed ${SEED})`;
  return { rows, sql, sampling };
}
