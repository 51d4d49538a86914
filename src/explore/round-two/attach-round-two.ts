import type { Catalog } from '../../catalog/catalog.js';
import type { RoundTwo } from '../../catalog/round-two-types.js';

/**
 * The catalog with round two in it: `roundTwo` set and each leakage suspect added to its
 * column's alerts (once). A result computed under another metadata version, or for a table
 * the catalog no longer has, is stale and left out: the catalog is returned unchanged.
 * For buildCatalog: `withRoundTwo(catalog, (await ledger.getState(INSIGHTS, INSIGHTS_KEY))?.value, facts.metadataVersion)`.
 */
export function withRoundTwo(
  catalog: Catalog,
  roundTwo: RoundTwo | undefined,
  metadataVersion: number | null,
): Catalog {
  if (!roundTwo || roundTwo.metadataVersion !== metadataVersion) return catalog;
  const t = roundTwo.target;
  if (
    !catalog.tables.some(
      (x) => x.source === t.source && x.name === t.table && x.columns.some((c) => c.name === t.column),
    )
  )
    return catalog;
  const tables = catalog.tables.map((table) => {
    const mine = roundTwo.alerts.filter((a) => a.source === table.source && a.table === table.name);
    if (mine.length === 0) return table;
    return {
      ...table,
      columns: table.columns.map((c) => {
        const add = mine
          .filter(
            (a) => a.column === c.name && !c.alerts.some((x) => x.kind === a.alert.kind && x.detail === a.alert.detail),
          )
          .map((a) => a.alert);
        return add.length === 0 ? c : { ...c, alerts: [...c.alerts, ...add] };
      }),
    };
  });
  return { ...catalog, tables, roundTwo };
}
