import type { Catalog, CatalogColumn, CatalogTable } from '../catalog/catalog.js';
import { badInput } from '../util/fathom-error.js';
import { decisionKey, factKey, type Decision } from './decision.js';
import type { TagRecord } from './metadata-state.js';
import { resolveColumn, resolveTable } from './resolve-names.js';

const MAX_CLASSES = 1000;

/** Physical values that can be compared for a reference: ids of one family. */
function typeFamily(c: CatalogColumn): string {
  switch (c.logicalType) {
    case 'integer':
    case 'float':
    case 'decimal':
      return 'number';
    case 'date':
    case 'timestamp':
      return 'time';
    case undefined:
      return c.physicalType.toLowerCase();
    default:
      return c.logicalType;
  }
}

/**
 * Check a batch of decisions against the explored catalog and the decisions already made,
 * before anything is recorded: the batch is all or nothing. Every error names the table or
 * column and says how to fix it.
 */
export function validateDecisions(
  catalog: Catalog,
  tags: ReadonlyMap<string, TagRecord>,
  decisions: readonly Decision[],
): void {
  const table = (source: string, name: string): CatalogTable => resolveTable(catalog, name, source);
  for (const d of decisions) {
    switch (d.fact) {
      case 'semanticType':
      case 'pii':
      case 'ignore':
        resolveColumn(table(d.source, d.table), d.column);
        break;
      case 'primaryKey': {
        const t = table(d.source, d.table);
        if (d.value.length === 0)
          throw badInput(
            `A key for ${d.table} needs at least one column`,
            `e.g. fathom tag ${d.table}.id --primary-key`,
          );
        for (const c of d.value) resolveColumn(t, c);
        if (d.status === 'confirmed' && d.value.length === 1) {
          const c = resolveColumn(t, d.value[0]!);
          if (!c.stats.distinctApproximate && (c.stats.nulls > 0 || c.stats.distinct < t.rows)) {
            throw badInput(
              `${d.table}.${c.name} cannot identify rows: ${c.stats.distinct} distinct values and ${c.stats.nulls} nulls in ${t.rows} rows`,
              'A key is unique and never null; pick another column or a composite key (TABLE.A,B).',
            );
          }
        }
        break;
      }
      case 'timeIndex': {
        const c = resolveColumn(table(d.source, d.table), d.value);
        if (d.status === 'confirmed' && typeFamily(c) !== 'time' && c.semanticType !== 'datetime') {
          throw badInput(
            `${d.table}.${c.name} is ${c.physicalType}, not a date or timestamp: it cannot be a time index`,
            'Choose a date or timestamp column.',
          );
        }
        break;
      }
      case 'relationship':
        checkReference(catalog, d);
        break;
      case 'target':
        if (d.status === 'confirmed') checkTarget(table(d.source, d.table), d.column, d.kind);
        else resolveColumn(table(d.source, d.table), d.column);
        break;
    }
  }
  checkWhole(tags, decisions);
}

function checkReference(catalog: Catalog, d: Extract<Decision, { fact: 'relationship' }>): void {
  const from = resolveTable(catalog, d.from.table, d.from.source);
  const to = resolveTable(catalog, d.to.table, d.to.source);
  if (d.from.columns.length === 0 || d.from.columns.length !== d.to.columns.length) {
    throw badInput(
      `A reference pairs columns one to one: ${d.from.columns.length} column(s) of ${from.name} against ${d.to.columns.length} of ${to.name}`,
      'e.g. --references order_items.order_id,line_no for returns.order_id,line_no',
    );
  }
  d.from.columns.forEach((name, i) => {
    const a = resolveColumn(from, name);
    const b = resolveColumn(to, d.to.columns[i]!);
    if (typeFamily(a) !== typeFamily(b)) {
      throw badInput(
        `${from.name}.${a.name} (${a.physicalType}) cannot refer to ${to.name}.${b.name} (${b.physicalType}): the types are incompatible`,
        'A reference joins values of one kind (numbers to numbers, text to text). Check the column names, or convert the column at the source.',
      );
    }
  });
  if (from.name === to.name && from.source === to.source && d.from.columns.every((c, i) => c === d.to.columns[i])) {
    throw badInput(
      `${from.name}.${d.from.columns.join(',')} cannot refer to itself`,
      'Name the parent table the column points to.',
    );
  }
}

function checkTarget(t: CatalogTable, column: string, kind: string): void {
  const c = resolveColumn(t, column);
  const numeric = typeFamily(c) === 'number';
  if (kind === 'regression' && !numeric)
    throw badInput(
      `${t.name}.${c.name} is ${c.physicalType}: a regression target must be numeric`,
      'Use --kind binary or multiclass, or pick a numeric column.',
    );
  if (kind === 'binary' && c.stats.distinct > 2)
    throw badInput(
      `${t.name}.${c.name} has ${c.stats.distinct} distinct values: a binary target has two`,
      'Use --kind multiclass (or regression for a numeric column).',
    );
  if (kind === 'multiclass' && c.stats.distinct > MAX_CLASSES)
    throw badInput(
      `${t.name}.${c.name} has ${c.stats.distinct} distinct values: too many classes for a multiclass target`,
      numeric ? 'Use --kind regression.' : 'Pick a column with fewer classes.',
    );
  if (c.stats.distinct < 2)
    throw badInput(
      `${t.name}.${c.name} has fewer than two distinct values: there is nothing to predict`,
      'Pick another column.',
    );
}

/** Rules across decisions: one target, and a target is never an ignored column. */
function checkWhole(tags: ReadonlyMap<string, TagRecord>, decisions: readonly Decision[]): void {
  const after = new Map<string, Decision>([...tags].map(([k, t]) => [k, t.decision]));
  for (const d of decisions) after.set(decisionKey(d), d);
  const targets = [...after.values()].filter(
    (d): d is Extract<Decision, { fact: 'target' }> => d.fact === 'target' && d.status === 'confirmed',
  );
  if (targets.length > 1) {
    const names = targets.map((t) => `${t.table}.${t.column}`);
    throw badInput(
      `Two targets would be confirmed: ${names.join(' and ')}. A project predicts one target`,
      `Un-confirm the old one first: fathom tag ${names[0]} --not-target (or set its status to rejected in the metadata file).`,
    );
  }
  for (const t of targets) {
    const ig = after.get(factKey('ignore', t.source, t.table, t.column));
    if (ig?.fact === 'ignore' && ig.value)
      throw badInput(
        `${t.table}.${t.column} is both the target and ignored`,
        `Drop the ignore (fathom tag ${t.table}.${t.column} --use) or pick another target.`,
      );
  }
}
