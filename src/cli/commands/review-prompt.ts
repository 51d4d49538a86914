import { createInterface } from 'node:readline';
import type { CliIO } from '../output.js';
import {
  bulkAccept,
  decide,
  FathomError,
  loadReview,
  parseSubject,
  pendingProposals,
  PII_KINDS,
  SEMANTIC_TYPES,
  TARGET_KINDS,
  type Decision,
  type Proposal,
  type ReviewState,
  type TargetKind,
  type Workspace,
} from '../../index.js';
import { renderRecorded } from './review-render.js';

const HELP = '  a accept   r reject   c change   i ignore the column   s skip   A accept all the rest   q quit';
const TYPES = SEMANTIC_TYPES.join('|');
const PII = [...PII_KINDS, 'none'].join('|');
const KINDS = TARGET_KINDS.join('|');
const isKind = (v: string | undefined): v is TargetKind => (TARGET_KINDS as readonly string[]).includes(v ?? '');

export interface PromptOutcome {
  readonly recorded: number;
  readonly version: number;
  readonly pending: number;
}

/**
 * Walk the proposals one by one on stderr, reading answers line by line from stdin (a
 * terminal or a pipe). Each answer is validated and recorded at once; a rejected answer
 * shows the error and asks again. End of input is the same as quitting.
 */
export async function reviewByPrompt(
  ws: Workspace,
  initial: ReviewState,
  pending: readonly Proposal[],
  io: CliIO,
): Promise<PromptOutcome> {
  const rl = createInterface({ input: io.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const say = (text: string) => io.stderr.write(`${text}\n`);
  const ask = async (prompt: string): Promise<string | null> => {
    io.stderr.write(prompt);
    const next = await lines.next();
    return next.done ? null : next.value.trim();
  };
  let state = initial;
  let recorded = 0;
  let version = state.catalog.metadataVersion ?? 0;
  const record = async (decisions: readonly Decision[]): Promise<boolean> => {
    try {
      const r = await decide(ws, state, decisions, { via: 'review', env: io.env });
      say(renderRecorded(r));
      recorded += r.changes.length;
      version = r.version;
      state = await loadReview(ws);
      return true;
    } catch (err) {
      if (!(err instanceof FathomError)) throw err;
      say(`  not recorded: ${err.message}${err.hint ? `\n  fix: ${err.hint}` : ''}`);
      return false;
    }
  };
  if (pending.length === 0) say('nothing to review: every proposal is decided');
  else say(`${pending.length} proposals, least confident first. Answer with a letter (? for help).`);
  try {
    walk: for (let i = 0; i < pending.length; i++) {
      const p = pending[i]!;
      say(
        `\n[${i + 1}/${pending.length}] ${p.fact}  confidence ${p.confidence.toFixed(2)}\n  ${p.text}${p.evidence.length ? `\n  evidence: ${p.evidence.join('; ')}` : ''}`,
      );
      for (;;) {
        const answer = await ask('  [a/r/c/i/s/A/q/?] > ');
        if (answer === null || answer === 'q') break walk;
        if (answer === '?' || answer === 'h') {
          say(HELP);
          continue;
        }
        if (answer === 's' || answer === '') {
          break;
        }
        if (answer === 'A') {
          const rest = pending.slice(i);
          if (await record(bulkAccept(state.catalog, rest, 0).decisions)) {
            break walk;
          }
          continue;
        }
        const decisions =
          answer === 'a'
            ? [p.accept]
            : answer === 'r'
              ? rejectOf(p, say)
              : answer === 'i'
                ? ignoreOf(p, say)
                : answer === 'c'
                  ? await changeOf(p, state, ask, say)
                  : unknown(answer, say);
        if (decisions && (await record(decisions))) {
          break;
        }
      }
    }
  } finally {
    rl.close();
  }
  return { recorded, version, pending: pendingProposals(state.catalog).length };
}

function unknown(answer: string, say: (t: string) => void): null {
  say(`  "${answer}" is not an answer here.\n${HELP}`);
  return null;
}

function rejectOf(p: Proposal, say: (t: string) => void): Decision[] | null {
  if (p.reject) return [p.reject];
  say('  a semantic type is corrected, not rejected: answer c to change it');
  return null;
}

function ignoreOf(p: Proposal, say: (t: string) => void): Decision[] | null {
  if (p.column) return [{ fact: 'ignore', ...p.column, status: 'confirmed', value: true }];
  say('  this proposal is not about one column; answer r to reject it');
  return null;
}

/** Ask for the corrected value, in the shape the fact needs. */
async function changeOf(
  p: Proposal,
  state: ReviewState,
  ask: (q: string) => Promise<string | null>,
  say: (t: string) => void,
): Promise<Decision[] | null> {
  const a = p.accept;
  try {
    switch (a.fact) {
      case 'semanticType': {
        const v = await ask(`  type (${TYPES}): `);
        if (!v || !TYPES.split('|').includes(v)) return (say(`  expected one of ${TYPES}`), null);
        return [{ ...a, value: v as typeof a.value }];
      }
      case 'pii': {
        const v = await ask(`  personal data kind (${PII}): `);
        if (!v || !PII.split('|').includes(v)) return (say(`  expected one of ${PII}`), null);
        return [{ ...a, value: v === 'none' ? null : (v as NonNullable<typeof a.value>) }];
      }
      case 'primaryKey': {
        const v = await ask(`  key column(s) of ${a.table}, comma-separated: `);
        if (!v) return null;
        return [{ ...a, value: v.split(',').map((s) => s.trim()) }];
      }
      case 'timeIndex': {
        const v = await ask(`  time column of ${a.table}: `);
        if (!v) return null;
        return [{ ...a, value: v }];
      }
      case 'relationship': {
        const v = await ask(`  ${a.from.table}.${a.from.columns.join(',')} refers to (TABLE.COLUMN): `);
        if (!v) return null;
        const parent = parseSubject(state.catalog, v);
        return [
          p.reject!,
          { ...a, to: { source: parent.table.source, table: parent.table.name, columns: parent.columns } },
        ];
      }
      case 'target': {
        const v = await ask(`  the target instead (TABLE.COLUMN [${KINDS}]) or just its kind: `);
        if (!v) return null;
        const [first, kind] = v.split(/\s+/);
        if (isKind(first)) return [{ ...a, kind: first }];
        const s = parseSubject(state.catalog, first!);
        if (s.columns.length !== 1) return (say('  name one column: TABLE.COLUMN'), null);
        const k = isKind(kind) ? kind : a.kind;
        return [
          p.reject!,
          {
            fact: 'target',
            source: s.table.source,
            table: s.table.name,
            column: s.columns[0]!,
            status: 'confirmed',
            kind: k,
          },
        ];
      }
      default:
        return null;
    }
  } catch (err) {
    if (!(err instanceof FathomError)) throw err;
    say(`  ${err.message}${err.hint ? `\n  fix: ${err.hint}` : ''}`);
    return null;
  }
}
