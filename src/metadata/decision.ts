import type { PiiKind, SemanticType, TargetFact } from '../catalog/catalog.js';

/** A table named across sources. */
export interface TableName {
  readonly source: string;
  readonly table: string;
}

/** One side of a reference: a table and its columns (several for a composite key). */
export interface ColumnsRef extends TableName {
  readonly columns: readonly string[];
}

/**
 * One fact a person decided. `confirmed` sets the value (a changed value is a confirmed
 * correction); `rejected` says the proposed value is wrong, and only that value: a different
 * proposal from a later exploration stands as suggested beside it.
 */
export type Decision =
  | (TableName & {
      readonly fact: 'semanticType';
      readonly column: string;
      readonly status: 'confirmed';
      readonly value: SemanticType;
    })
  | (TableName & {
      readonly fact: 'pii';
      readonly column: string;
      readonly status: 'confirmed';
      readonly value: PiiKind | null;
    })
  | (TableName & {
      readonly fact: 'ignore';
      readonly column: string;
      readonly status: 'confirmed';
      readonly value: boolean;
    })
  | (TableName & {
      readonly fact: 'primaryKey';
      readonly status: 'confirmed' | 'rejected';
      readonly value: readonly string[];
    })
  | (TableName & { readonly fact: 'timeIndex'; readonly status: 'confirmed' | 'rejected'; readonly value: string })
  | {
      readonly fact: 'relationship';
      readonly status: 'confirmed' | 'rejected';
      readonly from: ColumnsRef;
      readonly to: ColumnsRef;
      readonly coverage?: number;
    }
  | (TableName & {
      readonly fact: 'target';
      readonly column: string;
      readonly status: 'confirmed' | 'rejected';
      readonly kind: TargetFact['kind'];
    });

export type FactKind = Decision['fact'];

const cols = (r: ColumnsRef): string => `${r.source}.${r.table}(${r.columns.join(',')})`;

/**
 * The slot a decision fills: a later decision with the same key replaces it. A primary key
 * and a time index have one slot per table; a reference one per pair of column sets.
 */
export function decisionKey(d: Decision): string {
  switch (d.fact) {
    case 'semanticType':
    case 'pii':
    case 'ignore':
    case 'target':
      return factKey(d.fact, d.source, d.table, d.column);
    case 'primaryKey':
    case 'timeIndex':
      return factKey(d.fact, d.source, d.table);
    case 'relationship':
      return `relationship:${cols(d.from)}->${cols(d.to)}`;
  }
}

/** The key of a column's fact (or a table's, without a column), to look a decision up. */
export function factKey(
  fact: Exclude<FactKind, 'relationship'>,
  source: string,
  table: string,
  column?: string,
): string {
  return column === undefined ? `${fact}:${source}.${table}` : `${fact}:${source}.${table}.${column}`;
}

/** The decision in words, for the terminal, the log and errors. */
export function describeDecision(d: Decision): string {
  const verb = d.status === 'rejected' ? 'rejected' : 'confirmed';
  switch (d.fact) {
    case 'semanticType':
      return `${d.table}.${d.column} is ${d.value}`;
    case 'pii':
      return d.value === null
        ? `${d.table}.${d.column} is not personal data`
        : `${d.table}.${d.column} is personal data (${d.value})`;
    case 'ignore':
      return d.value ? `${d.table}.${d.column} is ignored` : `${d.table}.${d.column} is used again`;
    case 'primaryKey':
      return `${d.table} key ${d.value.join(' + ')} ${verb}`;
    case 'timeIndex':
      return `${d.table} time index ${d.value} ${verb}`;
    case 'relationship':
      return `${d.from.table}.${d.from.columns.join('+')} -> ${d.to.table}.${d.to.columns.join('+')} ${verb}`;
    case 'target':
      return `${d.table}.${d.column} as ${d.kind} target ${verb}`;
  }
}
