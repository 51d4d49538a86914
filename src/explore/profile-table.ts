import type { ColumnInfo, Engine, LogicalType, Row, SqlValue } from '../engine/engine.js';
import type { SourceTable } from '../sources/source.js';
import type {
  Alert,
  CatalogColumn,
  KeyFact,
  MissingPattern,
  TableAssociations,
  TimeIndexFact,
} from '../catalog/catalog.js';
import { alias, distinctSql, isNumeric, profileSql } from './profile-sql.js';
import { isTemporalType, sampleColumnStats, toNumber, type SampleColumnStats } from './sample-stats.js';
import { detectPii } from './pii.js';
import { maskPii } from './mask-pii.js';
import { inferSemanticType } from './semantic-type.js';
import { columnAlerts } from './column-alerts.js';
import { findKeyCandidates } from './key-candidates.js';
import { inferTimeIndex } from './time-index.js';
import { duplicateColumns, duplicateRowsIn, missingPatterns } from './table-sample.js';
import { associationColumns } from './association-columns.js';
import { associations } from './associations.js';

export interface ColumnProfile extends CatalogColumn {
  readonly logicalType: LogicalType;
  /** Exactly unique and not null over the whole table. */
  readonly unique: boolean;
}

export interface TableProfile {
  readonly source: string;
  readonly table: string;
  /** The data fingerprint of the table profiled (set by the explore.profile action). */
  readonly dataFingerprint?: string;
  readonly rows: number;
  readonly columns: readonly ColumnProfile[];
  readonly primaryKey: KeyFact | null;
  readonly keyCandidates: readonly KeyFact[];
  readonly timeIndex: TimeIndexFact | null;
  readonly duplicateRows: number;
  readonly duplicateRowsExact: boolean;
  readonly sampleRows: number;
  readonly sampling: string;
  readonly associations: TableAssociations | null;
  readonly missingPatterns: readonly MissingPattern[];
  readonly alerts: readonly Alert[];
}

const num = (v: SqlValue | undefined): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0);
// NaN and infinities (a float column holding them) have no JSON form: reported as null.
const numOrNull = (v: SqlValue | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(num(v)) ? null : num(v);
const textOrNull = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

/**
 * Up to this many rows x columns, distinct counts are exact. DuckDB's exact COUNT(DISTINCT)
 * on 10M rows x 20 columns took 4x its own SUMMARIZE; past this size the estimate is used
 * and key candidates are checked exactly instead.
 */
export const EXACT_DISTINCT_MAX_CELLS = 10_000_000;
/** Columns per exact-distinct query (about 180 MB of DuckDB state, see distinctSql). */
const DISTINCT_BATCH = 64;
/**
 * Each batch reads the table again: a 10,000-column CSV took 89 s instead of 15 s in 157
 * batches. Wider tables keep the estimate, flagged as such.
 */
export const EXACT_DISTINCT_MAX_COLUMNS = 8 * DISTINCT_BATCH;
/** The sample behind quantiles, histograms, top values, patterns and associations. */
export const SAMPLE_ROWS = 100_000;
/**
 * Cells fetched into memory for the sample, so that wide tables stay bounded. Fetching is
 * the sample's cost: 100k rows x 7 columns took 3.7 s in @duckdb/node-api's row conversion
 * (string decoding and GC), the query itself 0.4 s.
 */
const SAMPLE_MAX_CELLS = 1_000_000;
/** Associations use the first rows of the (randomly ordered) sample. */
const ASSOCIATION_ROWS = 20_000;
/** Exact duplicate-row counts up to this many cells; a sample estimate beyond. */
const EXACT_DUPLICATES_MAX_CELLS = 10_000_000;
const SAMPLE_SEED = 42;

/**
 * Profile one table: one aggregate query pushed to the engine for the exact statistics, then
 * one bounded random sample for the shape statistics (quantiles, histograms, top values,
 * patterns, associations). Sampling is explicit: `sampling` says what was read.
 */
export async function profileTable(engine: Engine, table: SourceTable): Promise<TableProfile> {
  const columns: readonly ColumnInfo[] = table.columns.length > 0 ? table.columns : await engine.describe(table.ref);
  const tableSql = engine.dialect.quoteTable(table.ref);
  const exactDistinct =
    !engine.capabilities.approxDistinct ||
    (table.rows !== null &&
      columns.length <= EXACT_DISTINCT_MAX_COLUMNS &&
      table.rows * columns.length <= EXACT_DISTINCT_MAX_CELLS);
  // Engines without an estimate (Postgres, SQLite) always counted exactly in the one query.
  const batched = exactDistinct && engine.capabilities.approxDistinct;
  const sql = profileSql(engine.dialect, tableSql, columns, {
    distinct: batched ? 'none' : exactDistinct ? 'exact' : 'approx',
  });
  const r: Row = { ...(await engine.query(sql)).rows[0] };
  for (let from = 0; batched && from < columns.length; from += DISTINCT_BATCH) {
    Object.assign(
      r,
      (await engine.query(distinctSql(engine.dialect, tableSql, columns.slice(from, from + DISTINCT_BATCH), from)))
        .rows[0],
    );
  }
  const rows = num(r.row_count);

  // The sample: the whole table when it is small enough, else a seeded uniform sample.
  const sampleCap = Math.max(100, Math.min(SAMPLE_ROWS, Math.floor(SAMPLE_MAX_CELLS / Math.max(1, columns.length))));
  const whole = rows <= sampleCap;
  const sample =
    columns.length === 0 || rows === 0
      ? []
      : (
          await engine.query(
            whole ? `SELECT * FROM ${tableSql}` : engine.dialect.sample(tableSql, sampleCap, SAMPLE_SEED, rows),
          )
        ).rows;
  const scale = sample.length === 0 ? 1 : rows / sample.length;
  const sampling = whole
    ? `all ${rows} rows`
    : `uniform random sample of ${sample.length} of ${rows} rows (seed ${SAMPLE_SEED}); counts scaled to the table`;

  const base = columns.map((c, i) => {
    const nonNull = num(r[alias(i, 'nonnull')]);
    const min = textOrNull(r[alias(i, 'min')]),
      max = textOrNull(r[alias(i, 'max')]);
    const range =
      min !== null && max !== null && (isNumeric(c.logicalType) || isTemporalType(c.logicalType))
        ? { min: toNumber(min, c.logicalType), max: toNumber(max, c.logicalType) }
        : undefined;
    const s: SampleColumnStats = sampleColumnStats(
      sample.map((row) => row[c.name] ?? null),
      c.logicalType,
      scale,
      range,
    );
    // Approximate distinct counts (HyperLogLog) can exceed the non-null count; clamp them.
    let distinct = Math.min(num(r[alias(i, 'distinct')]), nonNull);
    if (!exactDistinct) {
      // HyperLogLog reads 2 values as 1 on occasion: the exact min and max and the values the
      // sample saw are lower bounds that repair the estimate where it matters (constants, flags).
      distinct = Math.min(
        nonNull,
        Math.max(distinct, new Set(s.textValues).size, min !== null && max !== null && min !== max ? 2 : 0),
      );
    }
    const pii = detectPii({
      name: c.name,
      isText: c.logicalType === 'string',
      isTemporal: isTemporalType(c.logicalType),
      values: s.textValues.slice(0, 5000),
    });
    return { c, i, nonNull, distinct, min, max, s, pii };
  });
  const keyCandidates = await findKeyCandidates(
    engine,
    tableSql,
    table.name,
    rows,
    base.map((b) => ({
      name: b.c.name,
      logicalType: b.c.logicalType,
      nulls: rows - b.nonNull,
      distinct: b.distinct,
      distinctApproximate: !exactDistinct,
      meanLength: b.s.length?.mean ?? null,
      pii: b.pii?.kind ?? null,
      position: b.i,
    })),
  );
  const uniqueCols = new Set(keyCandidates.filter((k) => k.columns.length === 1).map((k) => k.columns[0]!));
  const primaryKey = keyCandidates[0] ?? null;
  const keyCols = new Set(primaryKey?.columns ?? []);
  const dupCols = duplicateColumns(
    sample,
    columns.map((c) => c.name),
  );

  const profiled: ColumnProfile[] = base.map(({ c, i, nonNull, distinct, min, max, s, pii }) => {
    const unique = uniqueCols.has(c.name);
    const levels = distinct <= 2 ? [...new Set(s.textValues)] : [];
    const sem = inferSemanticType({
      name: c.name,
      logicalType: c.logicalType,
      nonNull,
      distinct,
      unique,
      patterns: s.patterns,
      length: s.length,
      numericTextShare: s.numericTextShare,
      sampleLevels: levels,
      pii: pii?.kind ?? null,
    });
    // A composite key's parts are identifiers whatever their values look like.
    const semanticType =
      keyCols.has(c.name) && primaryKey!.columns.length > 1 && sem.semanticType !== 'datetime'
        ? 'id'
        : sem.semanticType;
    const topShare = s.top.length > 0 && nonNull > 0 ? s.top[0]!.count / nonNull : null;
    const mask = (v: string | null): string | null => (pii ? maskPii(pii.kind, v) : v);
    const alerts = columnAlerts({
      rows,
      nulls: rows - nonNull,
      distinct,
      semanticType,
      unique,
      isKey: keyCols.has(c.name),
      skewness: s.skewness,
      outlierShare: s.outlierShare,
      numericTextShare: s.numericTextShare,
      topShare,
      duplicateOf: dupCols.get(c.name) ?? null,
    });
    return {
      name: c.name,
      physicalType: c.physicalType,
      logicalType: c.logicalType,
      semanticType,
      confidence: semanticType === sem.semanticType ? sem.confidence : 0.85,
      evidence:
        semanticType === sem.semanticType
          ? sem.evidence
          : [`part of the composite key (${primaryKey!.columns.join(', ')})`],
      pii: pii?.kind ?? null,
      ...(pii ? { piiConfidence: pii.confidence, piiEvidence: pii.evidence } : {}),
      status: 'suggested',
      unique,
      stats: {
        nulls: rows - nonNull,
        distinct,
        distinctApproximate: !exactDistinct,
        min: mask(min),
        max: mask(max),
        mean: isNumeric(c.logicalType) ? numOrNull(r[alias(i, 'mean')]) : null,
        stddev: isNumeric(c.logicalType) ? numOrNull(r[alias(i, 'stddev')]) : null,
        quantiles: pii ? null : s.quantiles,
        top: pii ? s.top.map((t) => ({ value: maskPii(pii.kind, t.value), count: t.count })) : s.top,
        histogram: pii ? null : s.histogram,
        length: s.length,
        patterns: s.patterns,
      },
      alerts,
    };
  });

  const exactDup = rows * Math.max(1, columns.length) <= EXACT_DUPLICATES_MAX_CELLS;
  const duplicateRows =
    rows < 2 || columns.length === 0
      ? 0
      : whole
        ? duplicateRowsIn(
            sample,
            columns.map((c) => c.name),
          )
        : exactDup
          ? await countDuplicateRows(engine, tableSql, columns)
          : Math.round(
              duplicateRowsIn(
                sample,
                columns.map((c) => c.name),
              ) * scale,
            );
  const assocSample = sample.slice(0, ASSOCIATION_ROWS);
  const assocCols = associationColumns(profiled, assocSample);
  const tableAlerts: Alert[] = [];
  if (rows === 0) tableAlerts.push({ kind: 'high_missing', detail: 'the table is empty' });
  else if (rows === 1)
    tableAlerts.push({ kind: 'constant', detail: 'the table has a single row: statistics are not meaningful' });
  if (duplicateRows > 0)
    tableAlerts.push({
      kind: 'unique',
      detail: `${duplicateRows} duplicate rows${whole || exactDup ? '' : ' (estimated from the sample)'}`,
    });
  return {
    source: table.source,
    table: table.name,
    rows,
    columns: profiled,
    primaryKey,
    keyCandidates,
    timeIndex: inferTimeIndex(
      profiled.map((p) => ({
        name: p.name,
        isDatetime: p.semanticType === 'datetime',
        nulls: p.stats.nulls,
        distinct: p.stats.distinct,
        rows,
      })),
    ),
    duplicateRows,
    duplicateRowsExact: whole || exactDup,
    sampleRows: sample.length,
    sampling,
    associations: assocCols.length < 2 ? null : { sampleRows: assocSample.length, pairs: associations(assocCols) },
    missingPatterns: missingPatterns(
      sample,
      columns.map((c) => c.name),
      scale,
    ),
    alerts: tableAlerts,
  };
}

async function countDuplicateRows(engine: Engine, tableSql: string, columns: readonly ColumnInfo[]): Promise<number> {
  const cols = columns.map((c) =>
    ['string', 'json', 'other'].includes(c.logicalType)
      ? engine.dialect.castText(engine.dialect.quoteIdent(c.name))
      : engine.dialect.quoteIdent(c.name),
  );
  const r = (
    await engine.query(
      `SELECT (SELECT COUNT(*) FROM ${tableSql}) - (SELECT COUNT(*) FROM (SELECT DISTINCT ${cols.join(', ')} FROM ${tableSql}) AS fathom_distinct) AS d`,
    )
  ).rows[0];
  return num(r?.d);
}
