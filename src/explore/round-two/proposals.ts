import type { ColumnProfile, TableProfile } from '../profile-table.js';
import type { DerivedProposal, FeatureAssociation } from '../../catalog/round-two-types.js';

export interface ResolvedLink {
  readonly from: { readonly source: string; readonly table: string; readonly columns: readonly string[] };
  readonly to: { readonly source: string; readonly table: string; readonly columns: readonly string[] };
}

export interface ProposalInput {
  readonly target: TableProfile;
  readonly tables: ReadonlyMap<string, TableProfile>;
  readonly links: readonly ResolvedLink[];
  readonly timeIndexOf: (source: string, table: string) => string | null;
  readonly usable: (source: string, table: string, column: ColumnProfile) => boolean;
  /** Associations computed in round two, by feature name, for evidence. */
  readonly computed: ReadonlyMap<string, FeatureAssociation>;
}

const WINDOW_DAYS = 90;
/** Child columns turned into proposals per relationship. */
const MAX_COLUMNS = 4;
const tableKey = (source: string, table: string) => `${source}\u0000${table}`;
/** "customers" -> "customer": good enough for a sentence; the definition carries the real names. */
const singular = (name: string) =>
  name.endsWith('ies')
    ? `${name.slice(0, -3)}y`
    : name.endsWith('s') && !name.endsWith('ss')
      ? name.slice(0, -1)
      : name;
const on = (l: ResolvedLink, child = l.from.table, parent = l.to.table) =>
  l.from.columns.map((c, i) => `${child}.${c} = ${parent}.${l.to.columns[i]}`).join(' AND ');

/**
 * Derived variables worth building, from the confirmed relationships and time indexes: ages of
 * the target row's dates, and per target row the count, recency, windowed count and
 * aggregates of its child rows (and of their children). Proposals only: the features step
 * decides what to compute; `:cutoff` stands for each row's prediction time.
 */
export function deriveProposals(input: ProposalInput): DerivedProposal[] {
  const t = input.target;
  const entity = singular(t.table);
  const out: DerivedProposal[] = [];
  const evidence = (feature: string): string | null => {
    const a = input.computed.get(feature);
    if (!a) return null;
    return a.auc !== null
      ? `computed over all time in round two: AUC ${a.auc.toFixed(2)}, normalised MI ${a.normalizedMi.toFixed(2)}`
      : `computed over all time in round two: normalised MI ${a.normalizedMi.toFixed(2)}`;
  };
  for (const c of t.columns) {
    if (c.semanticType !== 'datetime' || !input.usable(t.source, t.table, c)) continue;
    out.push({
      name: `days_since_${c.name}`,
      description: `days since ${t.table}.${c.name}`,
      definition: `DATE_DIFF('day', ${t.table}.${c.name}, :cutoff)`,
      tables: [t.table],
      evidence: null,
    });
  }
  for (const l of input.links.filter((x) => x.to.source === t.source && x.to.table === t.table)) {
    const child = input.tables.get(tableKey(l.from.source, l.from.table));
    if (!child) continue;
    const ts = input.timeIndexOf(child.source, child.table);
    const where = on(l);
    const name = child.table;
    out.push({
      name: `count_${name}`,
      description: `count of ${name} per ${entity}`,
      definition: `COUNT(*) FROM ${name} WHERE ${where}${ts ? ` AND ${name}.${ts} < :cutoff` : ''}`,
      tables: [name, t.table],
      evidence: evidence(`count(${name})`),
    });
    if (ts) {
      out.push({
        name: `count_${name}_last_${WINDOW_DAYS}d`,
        description: `count of ${name} per ${entity} in the last ${WINDOW_DAYS} days`,
        definition: `COUNT(*) FROM ${name} WHERE ${where} AND ${name}.${ts} >= :cutoff - INTERVAL ${WINDOW_DAYS} DAY AND ${name}.${ts} < :cutoff`,
        tables: [name, t.table],
        evidence: null,
      });
      out.push({
        name: `days_since_last_${singular(name)}`,
        description: `days since the last ${singular(name)} of each ${entity}`,
        definition: `DATE_DIFF('day', MAX(${name}.${ts}), :cutoff) FROM ${name} WHERE ${where} AND ${name}.${ts} < :cutoff`,
        tables: [name, t.table],
        evidence: null,
      });
    }
    const cutoff = ts ? ` AND ${name}.${ts} < :cutoff` : '';
    const own = new Set(l.from.columns);
    const cols = child.columns.filter(
      (c) =>
        !own.has(c.name) &&
        c.name !== ts &&
        input.usable(child.source, child.table, c) &&
        !child.primaryKey?.columns.includes(c.name),
    );
    for (const c of cols.filter((x) => x.semanticType === 'numeric').slice(0, MAX_COLUMNS)) {
      out.push({
        name: `mean_${name}_${c.name}`,
        description: `mean ${name}.${c.name} per ${entity}`,
        definition: `AVG(${name}.${c.name}) FROM ${name} WHERE ${where}${cutoff}`,
        tables: [name, t.table],
        evidence: evidence(`mean(${name}.${c.name})`),
      });
      out.push({
        name: `sum_${name}_${c.name}`,
        description: `total ${name}.${c.name} per ${entity}`,
        definition: `SUM(${name}.${c.name}) FROM ${name} WHERE ${where}${cutoff}`,
        tables: [name, t.table],
        evidence: evidence(`sum(${name}.${c.name})`),
      });
    }
    for (const c of cols
      .filter((x) => x.semanticType === 'categorical' || x.semanticType === 'boolean')
      .slice(0, MAX_COLUMNS)) {
      out.push({
        name: `distinct_${name}_${c.name}`,
        description: `number of distinct ${name}.${c.name} per ${entity}`,
        definition: `COUNT(DISTINCT ${name}.${c.name}) FROM ${name} WHERE ${where}${cutoff}`,
        tables: [name, t.table],
        evidence: evidence(`distinct(${name}.${c.name})`),
      });
    }
    // One level further: the children's children, reached through the child.
    for (const g of input.links.filter((x) => x.to.source === child.source && x.to.table === child.table)) {
      const grand = input.tables.get(tableKey(g.from.source, g.from.table));
      if (!grand || (grand.source === t.source && grand.table === t.table)) continue;
      const join = `${grand.table} JOIN ${name} ON ${on(g)} WHERE ${where}${cutoff}`;
      out.push({
        name: `count_${grand.table}_via_${name}`,
        description: `count of ${grand.table} per ${entity} (through ${name})`,
        definition: `COUNT(*) FROM ${join}`,
        tables: [grand.table, name, t.table],
        evidence: null,
      });
      const gOwn = new Set(g.from.columns);
      for (const c of grand.columns
        .filter(
          (x) =>
            x.semanticType === 'numeric' &&
            !gOwn.has(x.name) &&
            input.usable(grand.source, grand.table, x) &&
            !grand.primaryKey?.columns.includes(x.name),
        )
        .slice(0, 2)) {
        out.push({
          name: `sum_${grand.table}_${c.name}_via_${name}`,
          description: `total ${grand.table}.${c.name} per ${entity} (through ${name})`,
          definition: `SUM(${grand.table}.${c.name}) FROM ${join}`,
          tables: [grand.table, name, t.table],
          evidence: null,
        });
      }
    }
  }
  return out;
}
