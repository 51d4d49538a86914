import type { Catalog, CatalogColumn, CatalogTable } from '../catalog/catalog.js';
import { badInput } from '../util/fathom-error.js';

const listed = (xs: readonly string[]) =>
  xs.length > 12 ? `${xs.slice(0, 12).join(', ')}, … (${xs.length})` : xs.join(', ');

/** An explored table by name (in one source, or the only one with that name). */
export function resolveTable(catalog: Catalog, name: string, source?: string): CatalogTable {
  const hits = catalog.tables.filter((t) => t.name === name && (source === undefined || t.source === source));
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1)
    throw badInput(
      `Table ${name} exists in several sources (${hits.map((t) => t.source).join(', ')})`,
      'Say which with --source NAME.',
    );
  throw badInput(
    `No explored table named ${name}${source ? ` in source ${source}` : ''}`,
    `Explored tables: ${listed(catalog.tables.map((t) => t.name))}. Run fathom explore if the table is new.`,
  );
}

export function resolveColumn(table: CatalogTable, name: string): CatalogColumn {
  const c = table.columns.find((x) => x.name === name);
  if (!c)
    throw badInput(
      `Table ${table.name} has no column ${JSON.stringify(name)}`,
      `Its columns: ${listed(table.columns.map((x) => x.name))}.`,
    );
  return c;
}

/**
 * `TABLE.COLUMN` or `TABLE.COL1,COL2` (or just `TABLE`), where a table name may itself hold
 * dots (a file `sales.2024.csv` is table `sales.2024`): the longest explored table name that
 * prefixes the text wins.
 */
export function parseSubject(
  catalog: Catalog,
  text: string,
  source?: string,
): { table: CatalogTable; columns: string[] } {
  const names = [
    ...new Set(catalog.tables.filter((t) => source === undefined || t.source === source).map((t) => t.name)),
  ].sort((a, b) => b.length - a.length);
  const name = names.find((n) => text === n || text.startsWith(`${n}.`));
  if (name === undefined) {
    const guess = text.includes('.') ? text.slice(0, text.indexOf('.')) : text;
    resolveTable(catalog, guess, source); // throws the helpful error
    throw badInput(
      `Cannot read ${JSON.stringify(text)} as TABLE.COLUMN`,
      'Write it as TABLE.COLUMN, e.g. customers.churned.',
    );
  }
  const table = resolveTable(catalog, name, source);
  const rest = text.slice(name.length + 1);
  const columns = rest === '' ? [] : rest.split(',').map((c) => c.trim());
  for (const c of columns) resolveColumn(table, c);
  return { table, columns };
}
