import { InvalidArgumentError, type Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { PII_KINDS, SEMANTIC_TYPES, TARGET_KINDS, tag, type TagFacts } from '../../index.js';
import { renderRecorded } from './review-render.js';

// Commander's option names are the facts' names: --not-target is notTarget.
interface TagFlags extends TagFacts {
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
    .option('--kind <kind>', `the target's kind: ${TARGET_KINDS.join('|')}`, oneOf('--kind', TARGET_KINDS))
    .option('--not-target', 'this column is not a target')
    .option(
      '--type <semantic>',
      `the column's semantic type: ${SEMANTIC_TYPES.join('|')}`,
      oneOf('--type', SEMANTIC_TYPES),
    )
    .option(
      '--pii <kind>',
      `the column holds personal data of this kind (${PII_KINDS.join('|')}), or none`,
      oneOf('--pii', [...PII_KINDS, 'none'] as const),
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
        const { json, ...facts } = opts;
        const recorded = await tag(ws, subject, facts, { env: io.env });
        emit(io, json, recorded, () => renderRecorded(recorded));
      });
    });
}
