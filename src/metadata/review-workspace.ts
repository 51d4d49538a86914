import type { Workspace } from '../workspace/open-workspace.js';
import type { Catalog } from '../catalog/catalog.js';
import { reviewedCatalog } from './reviewed-catalog.js';
import { badInput, FathomError } from '../util/fathom-error.js';
import type { Decision } from './decision.js';
import { decisionKey } from './decision.js';
import { readTags, recordDecisions, reviewer, type Recorded, type TagRecord } from './metadata-state.js';
import { validateDecisions } from './validate-decisions.js';
import { measureReference } from './measure-reference.js';
import { relationshipDecision } from './apply-review.js';

export interface ReviewState {
  /** The catalog with every decision laid over it (statuses, confirmed values). */
  readonly catalog: Catalog;
  readonly tags: ReadonlyMap<string, TagRecord>;
}

/** The reviewed catalog and the decisions so far; exploration must have run. */
export async function loadReview(ws: Workspace): Promise<ReviewState> {
  const catalog = await reviewedCatalog(ws);
  if (catalog.tables.length === 0)
    throw new FathomError('usage', 'Nothing explored yet: there is no metadata to review', {
      hint: 'Run fathom explore first.',
    });
  return { catalog, tags: await readTags(await ws.ledger()) };
}

/**
 * Validate a batch against the catalog, measure references a person declares (their coverage
 * is evidence too), and record the batch as one ledger entry. Nothing is recorded unless every
 * decision is valid.
 */
export async function decide(
  ws: Workspace,
  state: ReviewState,
  decisions: readonly Decision[],
  who: { readonly via: 'review' | 'tag' | 'apply'; readonly env: NodeJS.ProcessEnv },
): Promise<Recorded> {
  validateDecisions(state.catalog, state.tags, decisions);
  const known = new Set(state.catalog.relationships.map((r) => decisionKey(relationshipDecision(r, 'confirmed'))));
  const measured: Decision[] = [];
  for (const d of decisions) {
    if (
      d.fact === 'relationship' &&
      d.status === 'confirmed' &&
      d.coverage === undefined &&
      !known.has(decisionKey(d))
    ) {
      const coverage = await measureReference(ws, d.from, d.to);
      if (coverage === 0) {
        const name = (r: typeof d.from) => `${r.table}.${r.columns.join(',')}`;
        throw badInput(
          `No value of ${name(d.from)} is found in ${name(d.to)}: it cannot refer to it`,
          'Check the column names: a reference points at the parent key holding the same values.',
        );
      }
      measured.push(coverage === null ? d : { ...d, coverage: Math.round(coverage * 10000) / 10000 });
    } else measured.push(d);
  }
  return recordDecisions(await ws.ledger(), measured, {
    by: reviewer(who.env),
    via: who.via,
    workerId: ws.config.workerId,
  });
}
