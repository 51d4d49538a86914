import type { LogicalType } from '../engine/engine.js';
import type { KeyFact, Relationship } from '../catalog/catalog.js';
import type { ColumnProfile, TableProfile } from './profile-table.js';
import { referenceNameScore } from './relationship-names.js';
import { round } from './patterns.js';

/** Distinct values (or value tuples) of some columns with their row counts. */
export interface ValueCounts {
  readonly counts: ReadonlyMap<string, number>;
  /** True when the column had too many distinct values to fetch: the candidate is skipped. */
  readonly truncated: boolean;
}

export type FetchValues = (table: TableProfile, columns: readonly string[]) => Promise<ValueCounts>;

/** Child rows must find a parent this often, by the strength of the name evidence. */
const MIN_COVERAGE_NAMED = 0.8;
const MIN_COVERAGE_UNNAMED = 0.99;
/** Without a matching name, a child column needs this many distinct values to count. */
const MIN_DISTINCT_UNNAMED = 20;

const family = (t: LogicalType): 'int' | 'text' | null => (t === 'integer' ? 'int' : t === 'string' ? 'text' : null);
const tableId = (p: TableProfile): string => `${p.source}\u0000${p.table}`;

interface Scored extends Relationship {
  readonly score: number;
}

/**
 * Foreign keys across all tables of all sources, from inclusion dependencies on distinct
 * values (with coverage, so orphans are allowed), name similarity, type compatibility and
 * cardinality. Each child column (or column tuple) gets at most its best parent; references
 * implied by a composite one (returns.order_id -> orders via order_items) are dropped.
 */
export async function inferRelationships(tables: readonly TableProfile[], fetch: FetchValues): Promise<Relationship[]> {
  const found: Scored[] = [];
  for (const parent of tables) {
    for (const key of parent.keyCandidates) {
      if (key.columns.length === 1) found.push(...(await singleColumnReferences(tables, parent, key, fetch)));
      else {
        const r = await compositeReferences(tables, parent, key, fetch);
        found.push(...r);
      }
    }
  }
  // The best parent per child column set.
  const best = new Map<string, Scored>();
  for (const r of found) {
    const k = `${r.fromSource}\u0000${r.from.table}\u0000${r.from.columns.join('\u0001')}`;
    const prev = best.get(k);
    if (!prev || r.score > prev.score) best.set(k, r);
  }
  const kept = [...best.values()];
  const implied = (r: Scored): boolean =>
    r.from.columns.length === 1 &&
    kept.some(
      (comp) =>
        comp.from.columns.length > 1 &&
        comp.fromSource === r.fromSource &&
        comp.from.table === r.from.table &&
        comp.from.columns.includes(r.from.columns[0]!) &&
        kept.some(
          (link) =>
            link.fromSource === comp.toSource &&
            link.from.table === comp.to.table &&
            link.toSource === r.toSource &&
            link.to.table === r.to.table,
        ),
    );
  return kept
    .filter((r) => !implied(r))
    .map(({ score: _score, ...r }) => r)
    .sort(
      (a, b) => a.from.table.localeCompare(b.from.table) || a.from.columns.join().localeCompare(b.from.columns.join()),
    );
}

async function singleColumnReferences(
  tables: readonly TableProfile[],
  parent: TableProfile,
  key: KeyFact,
  fetch: FetchValues,
): Promise<Scored[]> {
  const pk = parent.columns.find((c) => c.name === key.columns[0])!;
  const pkFamily = family(pk.logicalType);
  if (!pkFamily || pk.stats.distinct < 3) return [];
  const out: Scored[] = [];
  for (const child of tables) {
    for (const col of child.columns) {
      if (child === parent && col.name === pk.name) continue;
      if (family(col.logicalType) !== pkFamily || col.stats.distinct < 2) continue;
      if (col.semanticType === 'boolean' || col.semanticType === 'datetime') continue;
      const ns = referenceNameScore(col.name, parent.table, pk.name);
      const ownKey = child.primaryKey?.columns.length === 1 && child.primaryKey.columns[0] === col.name;
      if (ownKey && ns < 0.8) continue; // a table's own id is not a reference, unless its name says so (1:1)
      if (ns === 0 && !strongValuesWithoutName(col, pk, parent)) continue;
      if (col.stats.distinct > pk.stats.distinct / MIN_COVERAGE_NAMED + 1000 && ns === 0) continue;
      const r = await scoreReference(child, [col.name], parent, key, ns, fetch);
      if (r) out.push(r);
    }
  }
  return out;
}

/**
 * The classic false positives are small integer ranges (ratings, quantities, ages) and
 * booleans, included in every integer key. Without a name to go on, accept only varied
 * values that are not a dense run of small numbers, pointing at a key that is an identifier.
 */
function strongValuesWithoutName(col: ColumnProfile, pk: ColumnProfile, parent: TableProfile): boolean {
  if (col.stats.distinct < MIN_DISTINCT_UNNAMED || col.pii || pk.semanticType !== 'id') return false;
  if (parent.primaryKey?.columns.length !== 1 || parent.primaryKey.columns[0] !== pk.name) return false;
  if (col.logicalType === 'integer') {
    const min = Number(col.stats.min),
      max = Number(col.stats.max);
    if (!Number.isFinite(min) || !Number.isFinite(max)) return false;
    if (min >= -1 && max <= 2 * col.stats.distinct + 1) return false; // 1..N, a dense small range
  }
  // Integer codes without an identifier name read as numeric; sparse keys make an
  // accidental 99% inclusion of a measure unlikely.
  return (
    col.semanticType === 'id' ||
    col.semanticType === 'categorical' ||
    (col.semanticType === 'numeric' && col.logicalType === 'integer')
  );
}

async function scoreReference(
  child: TableProfile,
  columns: readonly string[],
  parent: TableProfile,
  key: KeyFact,
  nameScore: number,
  fetch: FetchValues,
): Promise<Scored | null> {
  const [childValues, parentValues] = [await fetch(child, columns), await fetch(parent, key.columns)];
  if (childValues.truncated || parentValues.truncated || childValues.counts.size === 0) return null;
  let rows = 0,
    matchedRows = 0,
    matchedDistinct = 0;
  for (const [v, n] of childValues.counts) {
    rows += n;
    if (parentValues.counts.has(v)) {
      matchedRows += n;
      matchedDistinct++;
    }
  }
  const coverage = matchedRows / rows;
  if (coverage < (nameScore >= 0.6 ? MIN_COVERAGE_NAMED : MIN_COVERAGE_UNNAMED)) return null;
  const parentShare = matchedDistinct / parentValues.counts.size;
  const orphanRows = rows - matchedRows;
  const fanOut = matchedDistinct === 0 ? 0 : matchedRows / matchedDistinct;
  const evidence = [
    nameScore >= 1
      ? `name matches ${parent.table}.${key.columns.join(', ')}`
      : nameScore > 0
        ? `name resembles ${parent.table}.${key.columns.join(', ')}`
        : 'values only (no name match)',
    `${pct(coverage)} of ${child.table} rows find a ${parent.table} row${orphanRows > 0 ? ` (${orphanRows} orphan rows)` : ''}`,
    `${matchedDistinct} of ${parentValues.counts.size} ${parent.table} keys referenced`,
    `${round(fanOut, 2)} ${child.table} rows per ${parent.table} row`,
  ];
  const score = 0.3 + 0.4 * nameScore + 0.2 * coverage + 0.05 * Math.min(1, parentShare * 2) + 0.05 * key.confidence;
  return {
    from: { table: child.table, columns: [...columns] },
    to: { table: parent.table, columns: [...key.columns] },
    confidence: round(Math.min(0.99, nameScore === 0 ? Math.min(0.6, score) : score), 2),
    coverage: round(coverage),
    status: 'suggested',
    fromSource: child.source,
    toSource: parent.source,
    orphanRows,
    evidence,
    score,
  };
}

/** A composite parent key is referenced by a child holding columns with the same names. */
async function compositeReferences(
  tables: readonly TableProfile[],
  parent: TableProfile,
  key: KeyFact,
  fetch: FetchValues,
): Promise<Scored[]> {
  const out: Scored[] = [];
  const parentCols = key.columns.map((n) => parent.columns.find((c) => c.name === n)!);
  for (const child of tables) {
    if (tableId(child) === tableId(parent)) continue;
    const match: string[] = [];
    let nameScore = 1;
    for (const pc of parentCols) {
      let best: { name: string; score: number } | null = null;
      for (const col of child.columns) {
        if (family(col.logicalType) !== family(pc.logicalType) || match.includes(col.name)) continue;
        const s = referenceNameScore(col.name, parent.table, pc.name);
        if (s >= 0.8 && (!best || s > best.score)) best = { name: col.name, score: s };
      }
      if (!best) break;
      match.push(best.name);
      nameScore = Math.min(nameScore, best.score);
    }
    if (match.length !== parentCols.length) continue;
    const r = await scoreReference(child, match, parent, key, nameScore, fetch);
    if (r) out.push({ ...r, score: r.score + 0.05 }); // a whole composite match beats its parts
  }
  return out;
}

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
