import type { Engine, LogicalType } from '../engine/engine.js';
import type { KeyFact } from '../catalog/catalog.js';
import { idLikeName, normaliseName, sequenceLikeName, singular } from './column-names.js';

export interface KeyColumnInput {
  readonly name: string;
  readonly logicalType: LogicalType;
  readonly nulls: number;
  readonly distinct: number;
  readonly distinctApproximate: boolean;
  readonly meanLength: number | null;
  readonly pii: string | null;
  readonly position: number;
}

/** Columns whose types make poor keys: floats round, booleans and blobs cannot identify rows. */
const KEYABLE: ReadonlySet<LogicalType> = new Set(['integer', 'string', 'decimal', 'date', 'timestamp']);
const MAX_PAIRS = 15;
const MAX_TRIPLES = 10;
const MAX_VERIFIED = 64;

/**
 * Name and type plausibility of a key column, in [0, 1]. Unique and not null is necessary,
 * not sufficient: a unique email is a poorer key than `customer_id`, a unique timestamp
 * poorer still.
 */
export function keyNameScore(table: string, c: KeyColumnInput): number {
  const n = normaliseName(c.name);
  let s = 0;
  if (n === 'id' || n === `${singular(table)}_id` || n === `${singular(table)}_key` || n === `${singular(table)}_no`)
    s += 0.45;
  else if (idLikeName(c.name)) s += 0.35;
  if (c.position === 0) s += 0.1;
  if (c.logicalType === 'integer') s += 0.1;
  else if (c.logicalType === 'string' && (c.meanLength ?? 99) <= 36) s += 0.05;
  if (c.logicalType === 'date' || c.logicalType === 'timestamp' || c.logicalType === 'decimal') s -= 0.2;
  if (c.pii) s -= 0.15;
  if ((c.meanLength ?? 0) > 40) s -= 0.3;
  return s;
}

/**
 * Primary-key candidates, best first: single columns that are exactly unique and not null,
 * then, when no single column reads like a key, composites of 2 or 3 columns checked in SQL.
 */
export async function findKeyCandidates(
  engine: Engine,
  tableSql: string,
  table: string,
  rows: number,
  columns: readonly KeyColumnInput[],
): Promise<KeyFact[]> {
  if (rows < 2) return [];
  const q = (c: string) => engine.dialect.quoteIdent(c);
  const keyable = columns.filter((c) => KEYABLE.has(c.logicalType) && c.nulls === 0);
  // Estimated counts (HyperLogLog, for big tables) are checked exactly, in one query.
  const maybe = keyable.filter((c) => (c.distinctApproximate ? c.distinct >= rows * 0.9 : c.distinct === rows));
  const unique = new Set<string>();
  // Checked in one query of at most MAX_VERIFIED columns, the most key-like first: a
  // 10,000-column table of 5 rows has 10,000 "unique" columns, and 10,000 COUNT(DISTINCT)
  // in one DuckDB query ran out of 19 GB.
  const toCheck = maybe
    .filter((c) => c.distinctApproximate)
    .sort((a, b) => keyNameScore(table, b) - keyNameScore(table, a) || a.position - b.position)
    .slice(0, MAX_VERIFIED);
  if (toCheck.length > 0) {
    const r =
      (
        await engine.query(
          `SELECT ${toCheck.map((c, i) => `COUNT(DISTINCT ${q(c.name)}) AS k${i}`).join(', ')} FROM ${tableSql}`,
        )
      ).rows[0] ?? {};
    toCheck.forEach((c, i) => Number(r[`k${i}`]) === rows && unique.add(c.name));
  }
  for (const c of maybe) if (!c.distinctApproximate) unique.add(c.name);
  // (unverified estimates stay out: a key must be exactly unique)
  const singles: KeyFact[] = keyable
    .filter((c) => unique.has(c.name))
    .map((c) => {
      const s = keyNameScore(table, c);
      const evidence = ['unique', 'not null'];
      if (idLikeName(c.name)) evidence.push('name reads like an identifier');
      if (c.position === 0) evidence.push('first column');
      if (c.pii) evidence.push(`holds personal data (${c.pii})`);
      return { columns: [c.name], confidence: clamp(0.5 + s), status: 'suggested' as const, evidence };
    })
    .sort((a, b) => b.confidence - a.confidence);
  if (singles.some((k) => k.confidence >= 0.75)) return singles;

  // Composite keys: plausible columns first (identifiers and sequence numbers), and only
  // combinations whose distinct counts could multiply up to the row count.
  const parts = keyable
    .filter((c) => c.logicalType !== 'decimal' && (c.meanLength ?? 0) <= 40 && c.distinct >= 2 && c.distinct < rows)
    .sort((a, b) => partScore(b) - partScore(a) || a.position - b.position)
    .slice(0, 8);
  const composites: KeyFact[] = [];
  const check = async (combo: KeyColumnInput[]) => {
    const cols = combo.map((c) => q(c.name)).join(', ');
    const r = (await engine.query(`SELECT COUNT(*) AS n FROM (SELECT DISTINCT ${cols} FROM ${tableSql}) AS fathom_key`))
      .rows[0];
    if (Number(r?.n) !== rows) return;
    const evidence = [`(${combo.map((c) => c.name).join(', ')}) unique together`, 'not null'];
    const seq = combo.filter((c) => sequenceLikeName(c.name)).map((c) => c.name);
    if (seq.length > 0) evidence.push(`${seq.join(', ')} numbers rows within a parent`);
    const score = combo.reduce((s, c) => s + partScore(c), 0) / combo.length;
    composites.push({
      columns: combo.map((c) => c.name).sort((a, b) => pos(a) - pos(b)),
      confidence: clamp(0.45 + score * 0.4 - (combo.length - 2) * 0.1),
      status: 'suggested',
      evidence,
    });
  };
  const pos = (name: string) => columns.find((c) => c.name === name)!.position;
  const pairs: KeyColumnInput[][] = [];
  for (let i = 0; i < parts.length; i++)
    for (let j = i + 1; j < parts.length; j++)
      if (parts[i]!.distinct * parts[j]!.distinct >= rows) pairs.push([parts[i]!, parts[j]!]);
  for (const p of pairs.slice(0, MAX_PAIRS)) await check(p);
  if (composites.length === 0) {
    const triples: KeyColumnInput[][] = [];
    for (let i = 0; i < parts.length; i++)
      for (let j = i + 1; j < parts.length; j++)
        for (let k = j + 1; k < parts.length; k++)
          if (parts[i]!.distinct * parts[j]!.distinct * parts[k]!.distinct >= rows)
            triples.push([parts[i]!, parts[j]!, parts[k]!]);
    for (const t of triples.slice(0, MAX_TRIPLES)) await check(t);
  }
  return [...singles, ...composites].sort((a, b) => b.confidence - a.confidence);
}

/** How well a column serves as part of a composite key: ids and row numbers, not amounts. */
function partScore(c: KeyColumnInput): number {
  let s = 0;
  if (idLikeName(c.name)) s += 0.6;
  if (sequenceLikeName(c.name)) s += 0.7;
  if (c.logicalType === 'integer') s += 0.2;
  if (c.logicalType === 'date' || c.logicalType === 'timestamp') s += 0.1;
  if (c.pii) s -= 0.3;
  return s;
}

const clamp = (x: number): number => Math.round(Math.max(0.05, Math.min(0.99, x)) * 100) / 100;
