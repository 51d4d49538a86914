import type { Workspace } from '../workspace/open-workspace.js';
import type { Recorded } from './metadata-state.js';
import { decide, loadReview } from './review-workspace.js';
import { tagDecisions, type TagFacts } from './tag-decisions.js';

/**
 * Record what a tag states about a subject as one ledger action (`fathom tag`): read the
 * review so far, turn the facts into decisions, validate them against the explored data and
 * record them with who decided (FATHOM_USER, else the login name, from `who.env`). All or
 * nothing; a decision already in force changes nothing.
 */
export async function tag(
  ws: Workspace,
  subject: string,
  facts: TagFacts,
  who: { readonly env: NodeJS.ProcessEnv },
): Promise<Recorded> {
  const state = await loadReview(ws);
  return decide(ws, state, tagDecisions(state.catalog, subject, facts), { via: 'tag', env: who.env });
}
