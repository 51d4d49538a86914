import type { Catalog, CatalogColumn, PiiKind, SemanticType, TargetKind } from '../catalog/catalog.js';
import { badInput } from '../util/fathom-error.js';
import type { ColumnsRef, Decision } from './decision.js';
import { parseSubject } from './resolve-names.js';

/**
 * What one tag states about its subject, each field one fact (review as code: `fathom tag`,
 * and the dashboard's edits). A `not…` field rejects what its partner confirms. Errors name
 * the facts as `fathom tag` writes them (`--target`, `--not-target`): that is where people
 * type them, and the words stay the same elsewhere.
 */
export interface TagFacts {
  /** The subject column is the target to predict (of `kind`, else the guessed kind). */
  readonly target?: boolean;
  readonly notTarget?: boolean;
  readonly kind?: TargetKind;
  readonly type?: SemanticType;
  /** The column's kind of personal data; 'none': it holds none. */
  readonly pii?: PiiKind | 'none';
  readonly primaryKey?: boolean;
  readonly notPrimaryKey?: boolean;
  readonly timeIndex?: boolean;
  readonly notTimeIndex?: boolean;
  /** The parent the subject column(s) refer to: TABLE.COLUMN, TABLE.A,B, or TABLE (its key). */
  readonly references?: string;
  readonly notReferences?: string;
  /** Leave the column out of analysis and modelling; `use` takes it back. */
  readonly ignore?: boolean;
  readonly use?: boolean;
  /** The source holding the subject's table, when several have one of that name. */
  readonly source?: string;
}

/**
 * The decisions one tag states about a subject (TABLE.COLUMN, TABLE.A,B for a composite key, or
 * TABLE), checked for names and for facts that clash. Nothing is validated against the data
 * here: `decide` does that for every batch, whoever wrote it.
 */
export function tagDecisions(catalog: Catalog, subject: string, o: TagFacts): Decision[] {
  const { table, columns } = parseSubject(catalog, subject, o.source);
  const at = { source: table.source, table: table.name };
  const out: Decision[] = [];
  const clash = (a: boolean | undefined, b: boolean | undefined, what: string) => {
    if (a && b) throw badInput(`--${what} and --not-${what} contradict each other`, 'Pass one of them.');
  };
  clash(o.target, o.notTarget, 'target');
  clash(o.primaryKey, o.notPrimaryKey, 'primary-key');
  clash(o.timeIndex, o.notTimeIndex, 'time-index');
  if (o.ignore && o.use) throw badInput('--ignore and --use contradict each other', 'Pass one of them.');
  if (o.kind && !o.target)
    throw badInput('--kind goes with --target', 'e.g. fathom tag orders.total_amount --target --kind regression');
  const one = (flag: string): CatalogColumn => {
    if (columns.length !== 1)
      throw badInput(
        `${flag} needs exactly one column, got ${JSON.stringify(subject)}`,
        `Write TABLE.COLUMN, e.g. ${table.name}.${table.columns[0]?.name ?? 'column'}.`,
      );
    return table.columns.find((c) => c.name === columns[0])!;
  };
  const some = (flag: string): string[] => {
    if (columns.length === 0)
      throw badInput(
        `${flag} needs the column(s): got only the table ${table.name}`,
        `Write ${table.name}.COLUMN (or ${table.name}.A,B).`,
      );
    return columns;
  };
  if (o.target || o.notTarget) {
    const c = one(o.target ? '--target' : '--not-target');
    out.push({
      fact: 'target',
      ...at,
      column: c.name,
      status: o.target ? 'confirmed' : 'rejected',
      kind: o.kind ?? guessKind(catalog, table.name, c),
    });
  }
  if (o.type) out.push({ fact: 'semanticType', ...at, column: one('--type').name, status: 'confirmed', value: o.type });
  if (o.pii)
    out.push({
      fact: 'pii',
      ...at,
      column: one('--pii').name,
      status: 'confirmed',
      value: o.pii === 'none' ? null : o.pii,
    });
  if (o.primaryKey || o.notPrimaryKey)
    out.push({
      fact: 'primaryKey',
      ...at,
      status: o.primaryKey ? 'confirmed' : 'rejected',
      value: some(o.primaryKey ? '--primary-key' : '--not-primary-key'),
    });
  if (o.timeIndex || o.notTimeIndex)
    out.push({
      fact: 'timeIndex',
      ...at,
      status: o.timeIndex ? 'confirmed' : 'rejected',
      value: one(o.timeIndex ? '--time-index' : '--not-time-index').name,
    });
  for (const [flag, text, status] of [
    ['--references', o.references, 'confirmed'],
    ['--not-references', o.notReferences, 'rejected'],
  ] as const) {
    if (text === undefined) continue;
    const parent = parseSubject(catalog, text);
    const from: ColumnsRef = { ...at, columns: some(flag) };
    const to: ColumnsRef = {
      source: parent.table.source,
      table: parent.table.name,
      columns: parent.columns.length > 0 ? parent.columns : (parent.table.primaryKey?.columns ?? []),
    };
    if (to.columns.length === 0)
      throw badInput(
        `${flag} ${text}: name the parent column(s), ${parent.table.name} has no key`,
        `e.g. ${flag} ${parent.table.name}.${parent.table.columns[0]?.name ?? 'id'}`,
      );
    out.push({ fact: 'relationship', status, from, to });
  }
  if (o.ignore || o.use)
    out.push({
      fact: 'ignore',
      ...at,
      column: one(o.ignore ? '--ignore' : '--use').name,
      status: 'confirmed',
      value: o.ignore === true,
    });
  if (out.length === 0)
    throw badInput(
      `Nothing to record for ${subject}`,
      'Pass a flag such as --target, --type, --pii, --primary-key, --time-index, --references or --ignore (see fathom tag --help).',
    );
  return out;
}

/**
 * The kind a target is taken as when the tag does not say: the one exploration proposed for
 * this column, else one read from its type and values.
 */
export function guessKind(catalog: Catalog, table: string, c: CatalogColumn): TargetKind {
  const proposed = catalog.targets.find((t) => t.table === table && t.column === c.name);
  if (proposed) return proposed.kind;
  if (c.semanticType === 'boolean' || c.stats.distinct === 2) return 'binary';
  if (c.semanticType === 'numeric') return 'regression';
  return 'multiclass';
}
