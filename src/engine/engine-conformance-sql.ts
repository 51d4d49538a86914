/**
 * Exact SQL every dialect must generate for the fragments the conformance suite then runs
 * for real. A change to a dialect shows here first, as a readable diff.
 */
import type { EngineName } from './engine.js';

export interface FragmentSql {
  readonly quantile: string;
  readonly approxDistinct: string;
  readonly regexMatch: string;
  readonly sample: string;
  readonly castText: string;
}

/** Inputs: quantile("num1", 0.25), approxDistinct("cat1"), regexMatch("cat1", '[a-c]+'),
 * sample("frag", 3, 42), castText("id"). */
export const EXPECTED_FRAGMENTS: Record<EngineName, FragmentSql> = {
  duckdb: {
    quantile: 'quantile_cont("num1", 0.25)',
    approxDistinct: 'approx_count_distinct("cat1")',
    regexMatch: `regexp_full_match("cat1", '[a-c]+')`,
    sample: 'SELECT * FROM "frag" AS fathom_sample ORDER BY hash(fathom_sample, 42) LIMIT 3',
    castText: 'CAST("id" AS VARCHAR)',
  },
  postgres: {
    quantile: 'percentile_cont(0.25) WITHIN GROUP (ORDER BY "num1")',
    approxDistinct: 'COUNT(DISTINCT "cat1")',
    regexMatch: `("cat1" ~ '^(?:[a-c]+)$')`,
    sample: `SELECT * FROM "frag" AS fathom_sample ORDER BY md5(CAST(fathom_sample AS text) || '42') LIMIT 3`,
    castText: 'CAST("id" AS text)',
  },
  sqlite: {
    quantile: 'fathom_quantile_cont("num1", 0.25)',
    approxDistinct: 'COUNT(DISTINCT "cat1")',
    regexMatch: `("cat1" REGEXP '^(?:[a-c]+)$')`,
    sample: 'SELECT * FROM "frag" AS fathom_sample ORDER BY fathom_seeded_random(42) LIMIT 3',
    castText: 'CAST("id" AS TEXT)',
  },
};
