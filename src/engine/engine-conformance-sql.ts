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
  readonly epochSeconds: string;
  readonly datePart: string;
  readonly wordCount: string;
  readonly stddevSamp: string;
  readonly regrSlope: string;
}

/** Inputs: quantile("num1", 0.25), approxDistinct("cat1"), regexMatch("cat1", '[a-c]+'),
 * sample("frag", 3, 42), castText("id"), epochSeconds("ts1"), datePart('dow', "ts1"),
 * wordCount("cat1"), stddevSamp("num1"), regrSlope("num1", "int1"). */
export const EXPECTED_FRAGMENTS: Record<EngineName, FragmentSql> = {
  duckdb: {
    quantile: 'quantile_cont("num1", 0.25)',
    approxDistinct: 'approx_count_distinct("cat1")',
    regexMatch: `regexp_full_match("cat1", '[a-c]+')`,
    sample: 'SELECT * FROM "frag" AS fathom_sample ORDER BY hash(fathom_sample, 42) LIMIT 3',
    castText: 'CAST("id" AS VARCHAR)',
    epochSeconds: 'epoch("ts1")',
    datePart: `CAST(date_part('dow', make_timestamp(epoch_us("ts1"))) AS INTEGER)`,
    wordCount: String.raw`len(regexp_extract_all("cat1", '[^\x{0009}-\x{000d}\x{0020}\x{00a0}\x{1680}\x{2000}-\x{200a}\x{2028}-\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]+'))`,
    stddevSamp: 'stddev_samp("num1")',
    regrSlope: 'CASE WHEN regr_sxx("num1", "int1") > 0 THEN regr_slope("num1", "int1") END',
  },
  postgres: {
    quantile: 'percentile_cont(0.25) WITHIN GROUP (ORDER BY "num1")',
    approxDistinct: 'COUNT(DISTINCT "cat1")',
    regexMatch: `("cat1" ~ '^(?:[a-c]+)$')`,
    sample: `SELECT * FROM "frag" AS fathom_sample ORDER BY md5(CAST(fathom_sample AS text) || '42') LIMIT 3`,
    castText: 'CAST("id" AS text)',
    epochSeconds: 'CASE WHEN isfinite("ts1") THEN CAST(EXTRACT(EPOCH FROM "ts1") AS DOUBLE PRECISION) END',
    datePart:
      'CASE WHEN isfinite(CAST("ts1" AS timestamp)) THEN CAST(EXTRACT(DOW FROM CAST("ts1" AS timestamp)) AS INTEGER) END',
    wordCount: String.raw`regexp_count("cat1", '[^\u0009-\u000d\u0020\u00a0\u1680\u2000-\u200a\u2028-\u2029\u202f\u205f\u3000\ufeff]+')`,
    stddevSamp: 'CASE WHEN MIN("num1") < MAX("num1") THEN STDDEV_SAMP("num1") WHEN COUNT("num1") > 1 THEN 0 END',
    regrSlope:
      'CASE WHEN MIN(CASE WHEN "num1" IS NOT NULL THEN "int1" END) < MAX(CASE WHEN "num1" IS NOT NULL THEN "int1" END) ' +
      'THEN REGR_SLOPE("num1", "int1") END',
  },
  sqlite: {
    quantile: 'fathom_quantile_cont("num1", 0.25)',
    approxDistinct: 'COUNT(DISTINCT "cat1")',
    regexMatch: `("cat1" REGEXP '^(?:[a-c]+)$')`,
    sample: 'SELECT * FROM "frag" AS fathom_sample ORDER BY fathom_seeded_random(42) LIMIT 3',
    castText: 'CAST("id" AS TEXT)',
    epochSeconds: `unixepoch("ts1", 'subsec')`,
    datePart: `CAST(strftime('%w', "ts1") AS INTEGER)`,
    wordCount: 'fathom_word_count("cat1")',
    stddevSamp: 'stddev_samp("num1")',
    regrSlope: 'regr_slope("num1", "int1")',
  },
};
