import type { Engine, TableRef } from '../../engine/engine.js';
import { FathomError, badInput } from '../../util/fathom-error.js';
import type { ColumnRef } from '../../catalog/reviewed-facts.js';
import type { Relationship, TargetFact } from '../../catalog/catalog.js';
import type { ColumnProfile, TableProfile } from '../profile-table.js';
import type {
  FeatureAssociation,
  LeakageSuspect,
  LocatedAlert,
  RelationshipStats,
  RoundTwo,
  TableDrift,
} from '../../catalog/round-two-types.js';
import { associate, codeTarget, rankAssociations, type CodedTarget } from './feature-association.js';
import { columnValues, featureKind } from './feature-values.js';
import { targetSummary } from './target-summary.js';
import { keyAlias, TARGET_TEXT, targetSample } from './target-sample.js';
import type { AggregateColumns } from './child-scan.js';
import { linkCounts } from './relationship-stats.js';
import { tableDrift, type DriftColumn } from './drift.js';
import { lateRecordedLeaks, predictiveLeaks } from './leakage.js';
import { deriveProposals, type ResolvedLink } from './proposals.js';
import { roundTwoFindings } from './round-two-findings.js';

/** The reviewed facts round two reads (a subset of ReviewedFacts with a confirmed target). */
export interface InsightFacts {
  readonly metadataVersion: number;
  readonly target: ColumnRef & { readonly kind: TargetFact['kind'] };
  readonly timeIndexes: readonly ColumnRef[];
  readonly relationships: readonly Relationship[];
  readonly ignored: readonly ColumnRef[];
  /** Reviewed primary keys; a table without one falls back to its profile's. */
  readonly primaryKeys?: ReadonlyArray<{
    readonly source: string;
    readonly table: string;
    readonly columns: readonly string[];
  }>;
}

export interface RoundTwoInput {
  readonly facts: InsightFacts;
  readonly profiles: readonly TableProfile[];
  /** The engine holding a source's tables (opened once per source by the caller). */
  readonly engineFor: (source: string) => Promise<Engine>;
  readonly refFor: (source: string, table: string) => TableRef;
  readonly log?: (message: string) => void;
}

/** Child columns aggregated per target row, per relationship. */
const MAX_NUMERIC_AGGREGATES = 4;
const MAX_CATEGORICAL_AGGREGATES = 3;
/** Columns per table checked for drift. */
const MAX_DRIFT_COLUMNS = 12;
/** Categorical levels compared over time (the profile's top values). */
const DRIFT_LEVELS = 10;

const key = (source: string, table: string) => `${source}\u0000${table}`;

/**
 * Exploration round two over profiled tables and reviewed facts: the target's balance, every
 * feature's association with the target (and child aggregates per target row), leakage
 * suspects, relationship fan-out and orphans, drift over each time index, and proposals of
 * derived variables. Aggregates run in the engines; association runs on a seeded sample.
 */
export async function computeRoundTwo(input: RoundTwoInput): Promise<RoundTwo> {
  const { facts } = input;
  // Reviewed keys replace the profiles' guesses: aggregates and drift leave key columns out.
  const tables = new Map(
    input.profiles.map((p) => {
      const pk = facts.primaryKeys?.find((k) => k.source === p.source && k.table === p.table);
      const withKey: TableProfile = pk
        ? { ...p, primaryKey: { columns: pk.columns, confidence: 1, status: 'confirmed' } }
        : p;
      return [key(p.source, p.table), withKey];
    }),
  );
  const target = tables.get(key(facts.target.source, facts.target.table));
  if (!target) {
    throw new FathomError(
      'not_found',
      `The target table ${facts.target.source}.${facts.target.table} has not been profiled`,
      { hint: 'Run fathom explore first; round two reads the profiles.' },
    );
  }
  const targetColumn = target.columns.find((c) => c.name === facts.target.column);
  if (!targetColumn)
    throw badInput(
      `The target column ${facts.target.table}.${facts.target.column} is not a column of ${facts.target.table}`,
      'Confirm an existing column as the target in review.',
    );
  const ignored = new Set(facts.ignored.map((c) => `${key(c.source, c.table)}\u0000${c.column}`));
  const usable = (source: string, table: string, c: ColumnProfile) =>
    !ignored.has(`${key(source, table)}\u0000${c.name}`);
  const timeIndexOf = (source: string, table: string) =>
    facts.timeIndexes.find((t) => t.source === source && t.table === table)?.column ?? null;
  const sqlOf = (source: string, table: string) => async () => {
    const engine = await input.engineFor(source);
    return { engine, tableSql: engine.dialect.quoteTable(input.refFor(source, table)) };
  };

  const { engine, tableSql } = await sqlOf(target.source, target.table)();
  input.log?.(`round two: class balance of ${target.table}.${targetColumn.name}`);
  const summary = await targetSummary(engine, tableSql, targetColumn, facts.target.kind, target.rows);
  const links = resolveLinks(facts.relationships, [...tables.values()]);
  const childLinks = links.filter((l) => l.to.source === target.source && l.to.table === target.table);
  const features = target.columns.filter((c) => c.name !== targetColumn.name && usable(target.source, target.table, c));
  const timeIndex = timeIndexOf(target.source, target.table);
  const sampled = [...new Set([...features.map((c) => c.name), ...(timeIndex ? [timeIndex] : [])])];
  input.log?.(`round two: sampling ${target.table}`);
  const sample = await targetSample(
    engine,
    tableSql,
    sampled,
    targetColumn.name,
    childLinks.map((l) => l.to.columns),
    target.rows - summary.missing,
  );
  const coded = codeTarget(
    facts.target.kind,
    sample.rows.map((r) => (r[TARGET_TEXT] === null ? null : String(r[TARGET_TEXT]))),
    summary.positive,
  );
  input.log?.(`round two: association of ${features.length} columns on ${sample.rows.length} rows`);
  const own = features.map((c) =>
    associate(
      { feature: `${target.table}.${c.name}`, table: target.table, column: c.name, kind: featureKind(c) },
      columnValues(c, sample.rows),
      coded,
    ),
  );

  const relationships: RelationshipStats[] = [];
  for (const l of links) {
    input.log?.(`round two: ${l.from.table} -> ${l.to.table}`);
    const child = tables.get(key(l.from.source, l.from.table))!;
    const childIndex = childLinks.indexOf(l);
    const columns =
      childIndex >= 0
        ? aggregateColumns(child, l, (c) => usable(child.source, child.table, c))
        : { numeric: [], categorical: [] };
    const c = await sqlOf(l.from.source, l.from.table)();
    const p = await sqlOf(l.to.source, l.to.table)();
    const keys = childIndex >= 0 ? sample.rows.map((r) => r[keyAlias(childIndex)]) : [];
    const counts = await linkCounts(
      { source: l.from.source, columns: l.from.columns, ...c },
      { source: l.to.source, columns: l.to.columns, ...p },
      childIndex >= 0 ? columns : null,
      childIndex >= 0
        ? {
            keys: new Set(keys.filter((v) => v !== null && v !== undefined).map(String)),
            sql: sample.sql,
            alias: keyAlias(childIndex),
          }
        : null,
    );
    const aggregates = counts.aggregates
      ? rankAssociations(aggregateAssociations(child.table, columns, counts.aggregates, keys, coded))
      : [];
    relationships.push({
      from: l.from,
      to: l.to,
      fanOut: counts.fanOut,
      childRows: counts.childRows,
      orphanRows: counts.orphanRows,
      orphanRate: counts.childRows > 0 ? round(counts.orphanRows / counts.childRows) : 0,
      aggregates,
      note: counts.note,
    });
  }

  const drift: TableDrift[] = [];
  for (const ti of facts.timeIndexes) {
    const p = tables.get(key(ti.source, ti.table));
    const indexColumn = p?.columns.find((c) => c.name === ti.column);
    if (!p || !indexColumn) continue;
    input.log?.(`round two: drift of ${p.table} over ${ti.column}`);
    const isTarget = p === target;
    // Keys that point elsewhere identify rows; their spread over time is not drift.
    const foreign = new Set(
      links.filter((l) => l.from.source === p.source && l.from.table === p.table).flatMap((l) => l.from.columns),
    );
    const columns = driftColumns(
      p,
      ti.column,
      (c) => usable(p.source, p.table, c) && !foreign.has(c.name) && !(isTarget && c.name === targetColumn.name),
    );
    const t = await sqlOf(p.source, p.table)();
    const d = await tableDrift(
      t.engine,
      t.tableSql,
      { source: p.source, table: p.table },
      ti.column,
      p.rows - indexColumn.stats.nulls,
      columns,
      isTarget ? { column: targetColumn.name, kind: facts.target.kind, positive: summary.positive } : null,
    );
    if (d) drift.push(d);
  }

  input.log?.('round two: leakage, proposals and findings');
  const leakage = [
    ...predictiveLeaks(target.table, own, sample.rows.length),
    ...lateRecordedLeaks(target.table, sample.rows, features, timeIndex, coded),
  ].sort((a, b) => b.confidence - a.confidence);
  const ranked = rankAssociations([...own, ...relationships.flatMap((r) => r.aggregates)]);
  const proposals = deriveProposals({
    target,
    tables,
    links,
    timeIndexOf,
    usable,
    computed: new Map(ranked.map((a) => [a.feature, a])),
  });
  const result: Omit<RoundTwo, 'findings'> = {
    metadataVersion: facts.metadataVersion,
    target: { source: target.source, table: target.table, column: targetColumn.name, kind: facts.target.kind },
    targetSummary: summary,
    associations: { sampleRows: sample.rows.length, sampling: sample.sampling, ranked },
    leakage,
    relationships,
    drift,
    proposals,
    alerts: leakageAlerts(target.source, leakage),
  };
  return { ...result, findings: roundTwoFindings(result) };
}

/** Relationships between profiled tables, each end with its source (a name alone is resolved when unique). */
function resolveLinks(relationships: readonly Relationship[], profiles: readonly TableProfile[]): ResolvedLink[] {
  const find = (table: string, source: string | undefined) => {
    const matches = profiles.filter((p) => p.table === table && (source === undefined || p.source === source));
    return matches.length === 1 ? matches[0]! : undefined;
  };
  const out: ResolvedLink[] = [];
  for (const r of relationships) {
    if (r.status === 'rejected') continue;
    const from = find(r.from.table, r.fromSource);
    const to = find(r.to.table, r.toSource);
    if (!from || !to) continue;
    out.push({
      from: { source: from.source, table: from.table, columns: r.from.columns },
      to: { source: to.source, table: to.table, columns: r.to.columns },
    });
  }
  return out;
}

function aggregateColumns(
  child: TableProfile,
  link: ResolvedLink,
  usable: (c: ColumnProfile) => boolean,
): AggregateColumns {
  const skip = new Set([...link.from.columns, ...(child.primaryKey?.columns ?? [])]);
  const candidates = child.columns.filter((c) => !skip.has(c.name) && usable(c) && c.pii === null);
  return {
    numeric: candidates
      .filter((c) => c.semanticType === 'numeric')
      .slice(0, MAX_NUMERIC_AGGREGATES)
      .map((c) => c.name),
    categorical: candidates
      .filter((c) => c.semanticType === 'categorical' || c.semanticType === 'boolean')
      .slice(0, MAX_CATEGORICAL_AGGREGATES)
      .map((c) => c.name),
  };
}

/** Per target row (sample order): its child count and aggregates, each associated with the target. */
function aggregateAssociations(
  child: string,
  columns: AggregateColumns,
  aggregates: ReadonlyMap<string, number[]>,
  keys: ReadonlyArray<unknown>,
  target: CodedTarget,
): FeatureAssociation[] {
  const n = keys.length;
  const at = (i: number) => (keys[i] === null || keys[i] === undefined ? undefined : aggregates.get(String(keys[i])));
  const name = (feature: string) => ({ feature, table: child, column: null, kind: 'child_aggregate' as const });
  // A target row with no child row has count, sum and distinct count 0, and no mean.
  const series = (pick: (a: number[]) => number, none: number) => ({
    type: 'numeric' as const,
    values: Float64Array.from({ length: n }, (_, i) => {
      const a = at(i);
      return a ? pick(a) : none;
    }),
  });
  const out: FeatureAssociation[] = [
    associate(
      name(`count(${child})`),
      series((a) => a[0]!, 0),
      target,
    ),
  ];
  columns.numeric.forEach((c, j) => {
    out.push(
      associate(
        name(`mean(${child}.${c})`),
        series((a) => a[1 + 2 * j]!, NaN),
        target,
      ),
    );
    out.push(
      associate(
        name(`sum(${child}.${c})`),
        series((a) => (Number.isNaN(a[2 + 2 * j]!) ? 0 : a[2 + 2 * j]!), 0),
        target,
      ),
    );
  });
  columns.categorical.forEach((c, j) => {
    out.push(
      associate(
        name(`distinct(${child}.${c})`),
        series((a) => a[1 + 2 * columns.numeric.length + j]!, 0),
        target,
      ),
    );
  });
  return out;
}

const round = (x: number): number => Math.round(x * 100000) / 100000;

/** One `leakage_suspect` alert per column, its reasons joined (a column can be suspect twice). */
function leakageAlerts(source: string, leakage: readonly LeakageSuspect[]): LocatedAlert[] {
  const byColumn = new Map<string, LeakageSuspect[]>();
  for (const l of leakage)
    byColumn.set(`${l.table}\u0000${l.column}`, [...(byColumn.get(`${l.table}\u0000${l.column}`) ?? []), l]);
  return [...byColumn.values()].map((ls) => ({
    source,
    table: ls[0]!.table,
    column: ls[0]!.column,
    alert: {
      kind: 'leakage_suspect',
      detail: ls
        .map(
          (l) =>
            `${l.reason === 'predicts_target' ? 'predicts the target almost perfectly' : 'recorded after the target time'}: ${l.evidence[0]}`,
        )
        .join('; '),
    },
  }));
}

function driftColumns(p: TableProfile, timeIndex: string, usable: (c: ColumnProfile) => boolean): DriftColumn[] {
  const keyCols = new Set(p.primaryKey?.columns ?? []);
  const out: DriftColumn[] = [];
  for (const c of p.columns) {
    if (c.name === timeIndex || keyCols.has(c.name) || c.pii !== null || !usable(c)) continue;
    if (c.semanticType === 'numeric') {
      const edges = Object.values(c.stats.quantiles ?? {}).filter(
        (v): v is number => typeof v === 'number' && Number.isFinite(v),
      );
      if (edges.length > 0) out.push({ name: c.name, kind: 'numeric', edges });
    } else if (c.semanticType === 'categorical' || c.semanticType === 'boolean') {
      const levels = c.stats.top
        .filter((t) => t.value !== null)
        .slice(0, DRIFT_LEVELS)
        .map((t) => String(t.value));
      if (levels.length > 0) out.push({ name: c.name, kind: 'categorical', levels });
    }
  }
  return out.slice(0, MAX_DRIFT_COLUMNS);
}
