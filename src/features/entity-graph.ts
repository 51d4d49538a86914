import type { Catalog, CatalogColumn, SemanticType } from '../catalog/catalog.js';
import type { ReviewedFacts } from '../catalog/reviewed-facts.js';
import type { TableRef } from '../engine/engine.js';

/** A column feature synthesis may read: not personal data, not ignored, not a key. */
export interface GraphColumn {
  readonly name: string;
  readonly semantic: SemanticType;
  readonly logical: string;
  /** Exploration's leakage alert on it, if any: features reading it are dropped. */
  readonly leakage?: string;
  /** Distinct values (from the profile), for frequency encoding. */
  readonly distinct: number;
}

export interface GraphTable {
  readonly name: string;
  readonly ref: TableRef;
  readonly rows: number;
  readonly key: readonly string[] | null;
  readonly timeIndex: string | null;
  readonly columns: readonly GraphColumn[];
}

/** A confirmed (or unrejected) relationship: child rows point at one parent row. */
export interface GraphEdge {
  readonly child: string;
  readonly childColumns: readonly string[];
  readonly parent: string;
  readonly parentColumns: readonly string[];
}

/** The tables of one source reachable from the target, and the relationships between them. */
export interface EntityGraph {
  readonly source: string;
  readonly tables: ReadonlyMap<string, GraphTable>;
  readonly edges: readonly GraphEdge[];
  /** Things left out, said to the person (a relationship across sources, …). */
  readonly notes: readonly string[];
}

/**
 * Read the graph from the reviewed catalog: tables of the target's source, their reviewed keys
 * and time indexes, and the relationships nobody rejected. Columns that identify people, that a
 * person ignored, or that are keys of a relationship are not feature inputs.
 */
export function entityGraph(catalog: Catalog, facts: ReviewedFacts, refOf: (table: string) => TableRef): EntityGraph {
  const target = facts.target!;
  const source = target.source;
  const notes: string[] = [];
  const edges: GraphEdge[] = [];
  for (const r of facts.relationships) {
    const from = r.fromSource ?? sourceOfTable(catalog, r.from.table);
    const to = r.toSource ?? sourceOfTable(catalog, r.to.table);
    if (from !== source || to !== source) {
      if (from === source || to === source)
        notes.push(
          `${r.from.table} -> ${r.to.table} crosses sources (${from}, ${to}): not used, features are computed inside one engine`,
        );
      continue;
    }
    edges.push({ child: r.from.table, childColumns: r.from.columns, parent: r.to.table, parentColumns: r.to.columns });
  }
  const keyColumns = new Map<string, Set<string>>();
  const mark = (table: string, cols: readonly string[]) => {
    const set = keyColumns.get(table) ?? new Set<string>();
    for (const c of cols) set.add(c);
    keyColumns.set(table, set);
  };
  for (const e of edges) {
    mark(e.child, e.childColumns);
    mark(e.parent, e.parentColumns);
  }
  const ignored = new Set(facts.ignored.filter((c) => c.source === source).map((c) => `${c.table}.${c.column}`));
  const tables = new Map<string, GraphTable>();
  for (const t of catalog.tables) {
    if (t.source !== source) continue;
    const key = facts.primaryKeys.find((k) => k.source === source && k.table === t.name)?.columns ?? null;
    if (key) mark(t.name, key);
    const timeIndex = facts.timeIndexes.find((x) => x.source === source && x.table === t.name)?.column ?? null;
    const skip = keyColumns.get(t.name) ?? new Set<string>();
    const usable = (c: CatalogColumn) =>
      c.pii === null &&
      !c.ignored &&
      !ignored.has(`${t.name}.${c.name}`) &&
      !skip.has(c.name) &&
      c.semanticType !== 'id';
    tables.set(t.name, {
      name: t.name,
      ref: refOf(t.name),
      rows: t.rows,
      key,
      timeIndex,
      columns: t.columns.filter(usable).map((c) => {
        const leak = c.alerts.find((a) => a.kind === 'leakage_suspect');
        return {
          name: c.name,
          semantic: c.semanticType,
          logical: c.logicalType ?? 'other',
          distinct: c.stats.distinct,
          ...(leak ? { leakage: leak.detail } : {}),
        };
      }),
    });
  }
  return { source, tables, edges: edges.filter((e) => tables.has(e.child) && tables.has(e.parent)), notes };
}

function sourceOfTable(catalog: Catalog, table: string): string {
  return catalog.tables.find((t) => t.name === table)?.source ?? '';
}
