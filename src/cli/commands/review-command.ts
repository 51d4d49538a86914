import { InvalidArgumentError, type Command } from 'commander';
import { emit, type CliIO } from '../output.js';
import { withWorkspace } from './common.js';
import { acceptProposals, pendingReview, type Proposal } from '../../index.js';
import { reviewByPrompt } from './review-prompt.js';
import { renderRecorded } from './review-render.js';

interface ReviewFlags {
  acceptAbove?: number;
  yes?: boolean;
  list?: boolean;
  json?: boolean;
}

function confidence(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1))
    throw new InvalidArgumentError(`--accept-above takes a confidence between 0 and 1, got "${value}"`);
  return n;
}

export function registerReview(program: Command, io: CliIO): void {
  program
    .command('review')
    .description(
      "Review exploration's proposals (types, PII, keys, relationships, time indexes, targets), least confident first",
    )
    .option(
      '--accept-above <confidence>',
      'accept every proposal with at least this confidence, without prompts',
      confidence,
    )
    .option('--yes', 'accept every proposal (full autonomy; one target at most)')
    .option('--list', 'only list the pending proposals with their evidence')
    .option('--json', 'print the pending proposals (with --list) or the recorded changes as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Without flags, each proposal is shown with its evidence and you answer:',
        '  a accept   r reject   c change   i ignore the column   s skip   A accept all the rest   q quit',
        'Every answer is recorded at once as a ledger action (who, when, old and new value), so',
        'quitting keeps what you decided. Answers can come from a pipe: printf "a\\nr\\nq\\n" | fathom review',
        '',
        'Examples:',
        '  fathom review',
        '  fathom review --accept-above 0.9      # the confident ones in bulk; the rest stay pending',
        '  fathom review --list --json',
        '  fathom review --yes',
      ].join('\n'),
    )
    .action(async (opts: ReviewFlags, cmd: Command) => {
      await withWorkspace(cmd, io, async (ws) => {
        if (opts.list) {
          const { metadataVersion, pending } = await pendingReview(ws);
          emit(io, opts.json, { metadataVersion, pending: pending.map(describe) }, () => renderList(pending));
          return;
        }
        if (opts.yes || opts.acceptAbove !== undefined) {
          const recorded = await acceptProposals(ws, opts.yes ? 0 : opts.acceptAbove!, { env: io.env });
          const left = recorded.pending;
          emit(
            io,
            opts.json,
            recorded,
            () =>
              `${renderRecorded(recorded)}\n${left > 0 ? `${left} proposal${left === 1 ? '' : 's'} left to review: fathom review` : 'nothing left to review'}`,
          );
          return;
        }
        const review = await pendingReview(ws);
        const outcome = await reviewByPrompt(ws, review, review.pending, io);
        emit(
          io,
          opts.json,
          outcome,
          () =>
            `${outcome.recorded} decision${outcome.recorded === 1 ? '' : 's'} recorded; metadata v${outcome.version}; ${outcome.pending} left to review`,
        );
      });
    });
}

function describe(p: Proposal) {
  return { fact: p.fact, text: p.text, confidence: p.confidence, evidence: p.evidence };
}

function renderList(pending: readonly Proposal[]): string {
  if (pending.length === 0) return 'nothing to review: every proposal is decided';
  return pending
    .map(
      (p, i) =>
        `${String(i + 1).padStart(3)}. [${p.confidence.toFixed(2)}] ${p.fact}: ${p.text}\n       ${p.evidence.join('; ')}`,
    )
    .join('\n');
}
