import type { Dialect, SqlValue, TableRef } from '../engine/engine.js';
import { sha256 } from '../util/hash.js';
import { DATE_PARTS, ZERO_WHEN_EMPTY, kindOf, type FeatureNode, type Scope } from './feature-tree.js';

const DAY = 86400;
const asDouble = (e: string) => `CAST(${e} AS DOUBLE PRECISION)`;

/** The rows features are computed for. */
export type TargetRows =
  /**
   * Every row of the target table, its cutoff an expression over the row (alias `t`).
   * `shared`: the cutoff is the same for every row (a fixed time, or none).
   */
  | { readonly kind: 'table'; readonly cutoffSql: (row: string) => string; readonly shared?: boolean }
  /**
   * Entities given at prediction time: the query reads them from a CTE `fathom_entities`
   * (fathom_row, fathom_cutoff in epoch seconds, k0…), whose body is left as ENTITIES_SLOT
   * for entitiesSql to fill. This is the scoring plan's query.
   */
  | { readonly kind: 'entities' }
  /**
   * The rows of a cutoff table of the same source: the target's key columns and a cutoff per
   * row (an entity may come several times, at several cutoffs), and optionally the target's
   * value at that cutoff, which then replaces the target table's.
   */
  | {
      readonly kind: 'cutoff-table';
      readonly ref: TableRef;
      readonly cutoffSql: (row: string) => string;
      readonly cutoffColumn: string;
      readonly label: string | null;
    };

export const ENTITIES_SLOT = '/*fathom:entities*/';

/** Postgres refuses (or would truncate) identifiers over 63 bytes; feature names are often longer. */
const POSTGRES_MAX_IDENT_BYTES = 63;

/**
 * The column a matrix query gives a feature (or key) named `name`: the name itself, except on
 * Postgres when it is too long to be an identifier, where it is a short name derived from it
 * (so the same name always gets the same column). Readers of a query's rows map back with it.
 */
export function matrixColumnAlias(d: Dialect, name: string): string {
  return d.name === 'postgres' && Buffer.byteLength(name, 'utf8') > POSTGRES_MAX_IDENT_BYTES
    ? `fathom_f_${sha256(name).slice(0, 32)}`
    : name;
}

export interface MatrixSpec {
  readonly root: Scope;
  readonly key: readonly string[];
  /** Columns of the target table copied as they are (the target, the time index), before the features. */
  readonly carry: readonly string[];
  readonly features: ReadonlyArray<{ readonly name: string; readonly node: FeatureNode }>;
  readonly windowDays: number | null;
  /** Whether rows are filtered by a cutoff at all ('none' cutoff: every child row counts). */
  readonly cutoff: boolean;
}

/**
 * The body of `fathom_entities` for given entities, with its bind parameters: the first entity
 * as a SELECT that names the columns, the rest as one VALUES list after UNION ALL (valid on
 * DuckDB, Postgres and SQLite alike). One SELECT per entity planned about twice as slowly.
 */
export function entitiesSql(
  keyTypes: readonly string[],
  rows: ReadonlyArray<{ readonly key: readonly SqlValue[]; readonly cutoff: number | null }>,
): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  const cells = rows.map((e, n) => {
    const keys = e.key.map((v, i) => {
      params.push(v);
      return `CAST($${params.length} AS ${keyTypes[i]})`;
    });
    params.push(e.cutoff);
    return [String(n + 1), `CAST($${params.length} AS DOUBLE PRECISION)`, ...keys];
  });
  const names = ['fathom_row', 'fathom_cutoff', ...keyTypes.map((_, i) => `k${i}`)];
  const first = `SELECT ${cells[0]!.map((c, i) => `${c} AS ${names[i]}`).join(', ')}`;
  return {
    sql:
      cells.length === 1
        ? first
        : `${first} UNION ALL VALUES ${cells
            .slice(1)
            .map((c) => `(${c.join(', ')})`)
            .join(', ')}`,
    params,
  };
}

/**
 * Compile features to one SQL query the engine runs: a CTE of rows per table on each path
 * (child rows joined to their target row and kept only strictly before its cutoff), a GROUP BY
 * per child table holding every aggregate asked of it, and one final SELECT. The work is
 * pushed down: the engine joins and aggregates, JS only writes the text. Only the CTEs the
 * asked features need are emitted, so one feature compiles to its own lineage query.
 */
export function compileMatrix(d: Dialect, spec: MatrixSpec, rows: TargetRows): string {
  // One cutoff for all rows of a keyed table: a child row's time filter does not depend on which
  // target row it joins, so child rows are filtered and grouped by their foreign key alone and
  // joined to the target rows last, as a hand-written GROUP BY would (no 20M-row join first).
  const c = new Compiler(d, spec, rows.kind === 'table' && rows.shared === true ? rows.cutoffSql('t') : null);
  // Numbers are doubles whatever the engine computed them as (COUNT is an integer on some, a
  // decimal AVG on others), so matrices from different engines have the same schema.
  const select = spec.features.map((f) => {
    const e = c.expr(f.node, spec.root);
    return `${kindOf(f.node) === 'numeric' ? asDouble(e) : e} AS ${d.quoteIdent(matrixColumnAlias(d, f.name))}`;
  });
  for (const k of spec.key) c.need(spec.root, k);
  const carry = rows.kind === 'entities' ? [] : spec.carry;
  for (const k of carry) c.need(spec.root, k);
  const r0 = c.alias(spec.root);
  const head = [...spec.key, ...carry].map((k) => `${r0}.${d.quoteIdent(k)} AS ${d.quoteIdent(k)}`);
  const ctes = c.ctes(rows);
  return `WITH ${ctes.join(',\n')}\nSELECT ${[...head, ...select].join(', ')}\nFROM ${c.enriched(spec.root)}\nORDER BY ${r0}.fathom_row`;
}

interface AggregateCte {
  readonly items: string[];
  readonly modes: string[];
}

class Compiler {
  private readonly columns = new Map<number, Set<string>>();
  private readonly aggregates = new Map<number, AggregateCte>();
  private readonly children = new Map<number, Scope[]>();
  private readonly parents = new Map<number, Scope[]>();
  private readonly frequencies: string[] = [];
  private readonly scopes = new Map<number, Scope>();

  /** `shared`: the SQL of the one cutoff every row has, or null when rows have their own. */
  constructor(
    private readonly d: Dialect,
    private readonly spec: MatrixSpec,
    private readonly shared: string | null,
  ) {
    this.scopes.set(spec.root.id, spec.root);
  }

  alias(s: Scope): string {
    return s.role === 'parent' ? `s${s.id}` : `r${s.id}`;
  }

  /** Mark a column of a row scope as selected into its CTE. */
  need(s: Scope, column: string): void {
    const set = this.columns.get(s.id) ?? new Set<string>();
    set.add(column);
    this.columns.set(s.id, set);
    this.scopes.set(s.id, s);
  }

  /** SQL for a feature evaluated on the rows of `row` (a root or child scope). */
  expr(node: FeatureNode, row: Scope): string {
    const d = this.d;
    switch (node.type) {
      case 'column': {
        const ref = this.columnRef(node.scope, node.column.name);
        return kindOf(node) === 'categorical' ? d.castText(ref) : ref;
      }
      case 'direct':
        this.joinParent(node.scope);
        return this.expr(node.node, row);
      case 'frequency': {
        const i = this.frequencies.length;
        const table = d.quoteTable(node.scope.table.ref);
        const col = d.quoteIdent(node.column.name);
        this.frequencies.push(
          `q${i} AS (SELECT ${d.castText(col)} AS v, ${asDouble('COUNT(*)')} / (SELECT COUNT(*) FROM ${table}) AS f FROM ${table} WHERE ${col} IS NOT NULL GROUP BY ${d.castText(col)})`,
        );
        return `(SELECT q${i}.f FROM q${i} WHERE q${i}.v = ${d.castText(this.columnRef(node.scope, node.column.name))})`;
      }
      case 'transform': {
        const a = this.expr(node.args[0]!, row);
        const part = DATE_PARTS[node.op];
        switch (node.op) {
          case 'DAY_OF_WEEK':
            return d.castText(d.datePart('dow', a));
          case 'IS_WEEKEND':
            return `(${d.datePart('dow', a)} IN (0, 6))`;
          case 'TIME_SINCE':
            return `((${this.alias(row)}.fathom_cutoff - ${d.epochSeconds(a)}) / ${DAY}.0)`;
          case 'TEXT_LENGTH':
            return `LENGTH(${a})`;
          case 'WORD_COUNT':
            return d.wordCount(a);
          case 'RATIO':
            return `(${asDouble(a)} / NULLIF(${asDouble(this.expr(node.args[1]!, row))}, 0))`;
          default:
            return d.datePart(part!, a);
        }
      }
      case 'aggregate':
        return this.aggregate(node, row);
    }
  }

  private aggregate(node: Extract<FeatureNode, { type: 'aggregate' }>, row: Scope): string {
    const d = this.d;
    const c = node.scope;
    this.scopes.set(c.id, c);
    const kids = this.children.get(row.id) ?? [];
    if (!kids.includes(c)) this.children.set(row.id, [...kids, c]);
    // The join of the child's aggregates back onto `row` reads its key columns and the child's foreign key.
    for (const p of c.edge!.parentColumns) this.need(row, p);
    for (const k of c.edge!.childColumns) this.need(c, k);
    const cte = this.aggregates.get(c.id) ?? { items: [], modes: [] };
    this.aggregates.set(c.id, cte);
    const inner = node.node === null ? '' : this.expr(node.node, c);
    const rc = this.alias(c);
    if (node.op === 'MODE') {
      let i = cte.modes.indexOf(inner);
      if (i < 0) i = cte.modes.push(inner) - 1;
      return `m${c.id}_${i}.v`;
    }
    const t = c.table.timeIndex;
    const time = () => {
      this.need(c, t!);
      return d.epochSeconds(`${rc}.${d.quoteIdent(t!)}`);
    };
    const item = ((): string => {
      switch (node.op) {
        case 'COUNT':
          return 'COUNT(*)';
        case 'SUM':
          return `SUM(${asDouble(inner)})`;
        case 'MEAN':
          return `AVG(${asDouble(inner)})`;
        case 'MIN':
          return `MIN(${asDouble(inner)})`;
        case 'MAX':
          return `MAX(${asDouble(inner)})`;
        case 'STD':
          return d.stddevSamp(asDouble(inner));
        case 'NUM_UNIQUE':
          return `COUNT(DISTINCT ${inner})`;
        case 'PERCENT_TRUE':
          return `AVG(CASE WHEN ${inner} THEN 1.0 WHEN NOT ${inner} THEN 0.0 END)`;
        case 'TIME_SINCE_LAST':
          return `((MAX(${rc}.fathom_cutoff) - MAX(${d.epochSeconds(inner)})) / ${DAY}.0)`;
        case 'TIME_SINCE_FIRST':
          return `((MAX(${rc}.fathom_cutoff) - MIN(${d.epochSeconds(inner)})) / ${DAY}.0)`;
        case 'TREND':
          return d.regrSlope(asDouble(inner), `${time()} / ${DAY}.0`);
      }
    })();
    let i = cte.items.indexOf(item);
    if (i < 0) i = cte.items.push(item) - 1;
    const ref = `a${c.id}.f${i}`;
    return ZERO_WHEN_EMPTY.has(node.op) ? `COALESCE(${ref}, 0)` : ref;
  }

  /** A column of a row scope (selected into its CTE) or of a joined parent table. */
  private columnRef(s: Scope, column: string): string {
    if (s.role !== 'parent') this.need(s, column);
    else this.joinParent(s);
    return `${this.alias(s)}.${this.d.quoteIdent(column)}`;
  }

  /** Join a parent table (and the parents on the way to it) onto the row scope that owns it. */
  private joinParent(p: Scope): void {
    this.scopes.set(p.id, p);
    const from = p.from!;
    if (from.role === 'parent') this.joinParent(from);
    else for (const k of p.edge!.childColumns) this.need(from, k);
    const owner = ownerOf(p);
    const list = this.parents.get(owner.id) ?? [];
    if (!list.includes(p)) this.parents.set(owner.id, [...list, p]);
  }

  /** The FROM clause of a row scope: its rows, its children's aggregates and its parents. */
  enriched(s: Scope): string {
    const d = this.d;
    const r = this.alias(s);
    const parts = [r];
    for (const c of this.children.get(s.id) ?? []) {
      const on = (alias: string) =>
        [
          ...this.rowId(alias, r),
          ...c.edge!.parentColumns.map((p, i) => `${alias}.k${i} = ${r}.${d.quoteIdent(p)}`),
        ].join(' AND ');
      const cte = this.aggregates.get(c.id)!;
      if (cte.items.length > 0) parts.push(`LEFT JOIN a${c.id} ON ${on(`a${c.id}`)}`);
      cte.modes.forEach((_, i) => parts.push(`LEFT JOIN m${c.id}_${i} ON ${on(`m${c.id}_${i}`)}`));
    }
    for (const p of this.parents.get(s.id) ?? []) {
      const from = this.alias(p.from!);
      const on = p
        .edge!.parentColumns.map(
          (pc, i) => `s${p.id}.${d.quoteIdent(pc)} = ${from}.${d.quoteIdent(p.edge!.childColumns[i]!)}`,
        )
        .join(' AND ');
      parts.push(`LEFT JOIN ${d.quoteTable(p.table.ref)} AS s${p.id} ON ${on}`);
    }
    return parts.join(' ');
  }

  ctes(rows: TargetRows): string[] {
    const d = this.d;
    const q = (x: string) => d.quoteIdent(x);
    const out: string[] = [];
    const root = this.spec.root;
    const cols = (s: Scope, alias: string) => [...(this.columns.get(s.id) ?? [])].map((x) => `${alias}.${q(x)}`);
    const table = d.quoteTable(root.table.ref);
    if (rows.kind === 'table') {
      const order = this.spec.key.map((k) => `t.${q(k)}`).join(', ');
      out.push(
        `r${root.id} AS (SELECT ROW_NUMBER() OVER (ORDER BY ${order}) AS fathom_row, ${rows.cutoffSql('t')} AS fathom_cutoff, ${cols(root, 't').join(', ')} FROM ${table} AS t)`,
      );
    } else {
      if (rows.kind === 'entities') out.push(`fathom_entities AS (${ENTITIES_SLOT})`);
      else {
        const keys = this.spec.key.map((k) => `c.${q(k)}`);
        const order = [
          ...keys,
          `c.${q(rows.cutoffColumn)}`,
          ...(rows.label === null ? [] : [`c.${q(rows.label)}`]),
        ].join(', ');
        const label = rows.label === null ? '' : `, c.${q(rows.label)} AS fathom_label`;
        out.push(
          `fathom_entities AS (SELECT ROW_NUMBER() OVER (ORDER BY ${order}) AS fathom_row, ${rows.cutoffSql('c')} AS fathom_cutoff, ${keys.map((k, i) => `${k} AS k${i}`).join(', ')}${label} FROM ${d.quoteTable(rows.ref)} AS c)`,
        );
      }
      const keyed = new Set(this.spec.key);
      const relabel = rows.kind === 'cutoff-table' && rows.label !== null ? rows.label : null;
      const own = [...(this.columns.get(root.id) ?? [])].map((x) =>
        keyed.has(x)
          ? `e.k${this.spec.key.indexOf(x)} AS ${q(x)}`
          : x === relabel
            ? `e.fathom_label AS ${q(x)}`
            : `t.${q(x)}`,
      );
      const on = this.spec.key.map((k, i) => `t.${q(k)} = e.k${i}`).join(' AND ');
      out.push(
        `r${root.id} AS (SELECT e.fathom_row, e.fathom_cutoff, ${own.join(', ')} FROM fathom_entities AS e LEFT JOIN ${table} AS t ON ${on})`,
      );
    }
    const scopes = [...this.scopes.values()].sort((a, b) => a.id - b.id);
    for (const s of scopes) {
      if (s.role !== 'child') continue;
      const from = this.alias(s.from!);
      if (this.shared !== null) {
        // Child rows of every parent: those of parents not in scope are aggregated but never joined.
        const filter = this.timeFilter(s, this.shared);
        const present = s.edge!.childColumns.map((k) => `x.${q(k)} IS NOT NULL`).join(' AND ');
        out.push(
          `r${s.id} AS (SELECT ${this.shared} AS fathom_cutoff, ${cols(s, 'x').join(', ')} FROM ${d.quoteTable(s.table.ref)} AS x WHERE ${present}${filter.replace(/^ WHERE /, ' AND ')})`,
        );
        continue;
      }
      const on = s
        .edge!.childColumns.map((k, i) => `x.${q(k)} = ${from}.${q(s.edge!.parentColumns[i]!)}`)
        .join(' AND ');
      out.push(
        `r${s.id} AS (SELECT ${from}.fathom_row, ${from}.fathom_cutoff, ${cols(s, 'x').join(', ')} FROM ${from} JOIN ${d.quoteTable(s.table.ref)} AS x ON ${on}${this.timeFilter(s, `${from}.fathom_cutoff`)})`,
      );
    }
    out.push(...this.frequencies);
    for (const s of scopes.reverse()) {
      const cte = this.aggregates.get(s.id);
      if (!cte) continue;
      const r = this.alias(s);
      const keys = s.edge!.childColumns.map((k, i) => `${r}.${q(k)} AS k${i}`);
      const row = this.shared === null ? [`${r}.fathom_row`] : [];
      const group = [...row, ...s.edge!.childColumns.map((k) => `${r}.${q(k)}`)].join(', ');
      if (cte.items.length > 0) {
        out.push(
          `a${s.id} AS (SELECT ${[...row, ...keys].join(', ')}, ${cte.items.map((x, i) => `${x} AS f${i}`).join(', ')} FROM ${this.enriched(s)} GROUP BY ${group})`,
        );
      }
      cte.modes.forEach((m, i) => {
        // Most frequent value; ties go to the smallest, so the result does not depend on scan order.
        // Smallest by code point on every engine: a Postgres column or database with a linguistic
        // collation (en_US) would otherwise put 'a' before 'B' where DuckDB and SQLite do not.
        const tieOrder = d.name === 'postgres' ? `${m} COLLATE "C"` : m;
        const ranked = `SELECT ${[...row, ...keys].join(', ')}, ${m} AS v, ROW_NUMBER() OVER (PARTITION BY ${group} ORDER BY COUNT(*) DESC, ${tieOrder}) AS fathom_rank FROM ${this.enriched(s)} WHERE ${m} IS NOT NULL GROUP BY ${group}, ${m}`;
        const outKeys = s.edge!.childColumns.map((_, j) => `k${j}`).join(', ');
        out.push(
          `m${s.id}_${i} AS (SELECT ${this.shared === null ? 'fathom_row, ' : ''}${outKeys}, v FROM (${ranked}) AS fathom_modes WHERE fathom_rank = 1)`,
        );
      });
    }
    return out;
  }

  /** How an aggregate joins its row: by the target row and the key, or by the key alone with a shared cutoff. */
  private rowId(alias: string, r: string): string[] {
    return this.shared === null ? [`${alias}.fathom_row = ${r}.fathom_row`] : [];
  }

  /** Child rows strictly before the cutoff (`cutoff`: SQL of it) and within the window. */
  private timeFilter(s: Scope, cutoff: string): string {
    const t = s.table.timeIndex;
    if (!this.spec.cutoff || t === null) return '';
    const at = this.d.epochSeconds(`x.${this.d.quoteIdent(t)}`);
    const window = this.spec.windowDays === null ? '' : ` AND ${at} >= ${cutoff} - ${this.spec.windowDays * DAY}`;
    return ` WHERE ${at} < ${cutoff}${window}`;
  }
}

/** The root or child scope whose rows a parent table is joined to. */
function ownerOf(p: Scope): Scope {
  let s = p.from!;
  while (s.role === 'parent') s = s.from!;
  return s;
}
