import { InvalidArgumentError, type Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { badInput } from '../../util/fathom-error.js';
import {
  PII_KINDS,
  SEMANTIC_TYPES,
  TARGET_KINDS,
  type Catalog,
  type CatalogColumn,
  type PiiKind,
  type SemanticType,
  type TargetFact,
} from '../../catalog/catalog.js';
import type { ColumnsRef, Decision } from '../../metadata/decision.js';
import { parseSubject } from '../../metadata/resolve-names.js';
import { decide, loadReview } from '../../metadata/review-workspace.js';
import { renderRecorded } from './review-render.js';

const SEMANTIC = SEMANTIC_TYPES;
const PII = PII_KINDS;
const KINDS = TARGET_KINDS;

interface TagFlags {
  target?: boolean;
  notTarget?: boolean;
  kind?: TargetFact['kind'];
  type?: SemanticType;
  pii?: PiiKind | 'none';
  primaryKey?: boolean;
  notPrimaryKey?: boolean;
  timeIndex?: boolean;
  notTimeIndex?: boolean;
  references?: string;
  notReferences?: string;
  ignore?: boolean;
  use?: boolean;
  source?: string;
  json?: boolean;
}

const oneOf =
  <T extends string>(name: string, allowed: readonly T[]) =>
  (value: string): T => {
    if (!(allowed as readonly string[]).includes(value))
      throw new InvalidArgumentError(`${name} must be one of ${allowed.join('|')}, got "${value}"`);
    return value as T;
  };

export function registerTag(program: Command, io: CliIO): void {
  program
    .command('tag')
    .argument('<subject>', 'TABLE.COLUMN, TABLE.A,B (a composite key) or TABLE')
    .description(
      'Record one metadata decision without prompts (review as code): target, type, PII, key, time index, reference, ignore',
    )
    .option('--target', 'this column is the target to predict (kind guessed; set it with --kind)')
    .option('--kind <kind>', `the target's kind: ${KINDS.join('|')}`, oneOf('--kind', KINDS))
    .option('--not-target', 'this column is not a target')
    .option('--type <semantic>', `the column's semantic type: ${SEMANTIC.join('|')}`, oneOf('--type', SEMANTIC))
    .option(
      '--pii <kind>',
      `the column holds personal data of this kind (${PII.join('|')}), or none`,
      oneOf('--pii', [...PII, 'none'] as const),
    )
    .option('--primary-key', "the subject's column(s) identify the table's rows")
    .option('--not-primary-key', "the subject's column(s) are not the table's key")
    .option('--time-index', 'this column dates the rows (cutoffs and time splits use it)')
    .option('--not-time-index', 'this column is not the time index')
    .option(
      '--references <table.column>',
      'the subject column(s) refer to this parent key (TABLE.A,B for a composite key)',
    )
    .option('--not-references <table.column>', 'the subject column(s) do not refer to this table')
    .option('--ignore', 'leave this column out of analysis and modelling')
    .option('--use', 'use an ignored column again')
    .option('--source <name>', 'the source holding the table (when several have one of that name)')
    .option('--json', 'print the recorded change as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Each call is one ledger action (fathom log --kind metadata.review) with who, when, the old',
        'and the new value; the metadata version goes up by one. Flags combine into one action.',
        '',
        'Examples:',
        '  fathom tag customers.churned --target',
        '  fathom tag orders.customer_id --references customers.customer_id',
        '  fathom tag order_items.order_id,line_no --primary-key',
        '  fathom tag customers.cancellation_reason --ignore',
        '  fathom tag customers.postal_code --pii none --type categorical',
      ].join('\n'),
    )
    .action(async (subject: string, opts: TagFlags, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        const state = await loadReview(ws);
        const decisions = tagDecisions(state.catalog, subject, opts);
        const recorded = await decide(ws, state, decisions, { via: 'tag', env: io.env });
        emit(io, opts.json, recorded, () => renderRecorded(recorded));
      });
    });
}

/** The decisions a `fathom tag` call states, checked for names and for flags that clash. */
export function tagDecisions(catalog: Catalog, subject: string, o: TagFlags): Decision[] {
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

/** The kind exploration proposed for this column, else one read from its type and values. */
function guessKind(catalog: Catalog, table: string, c: CatalogColumn): TargetFact['kind'] {
  const proposed = catalog.targets.find((t) => t.table === table && t.column === c.name);
  if (proposed) return proposed.kind;
  if (c.semanticType === 'boolean' || c.stats.distinct === 2) return 'binary';
  if (c.semanticType === 'numeric') return 'regression';
  return 'multiclass';
}
