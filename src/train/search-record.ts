import type { LedgerStore } from '../ledger/ledger-store.js';
import type { LeaderboardRow } from './train-search.js';

/** Projected collection of closed searches: key = search id (train-search.ts). */
export const SEARCHES = 'searches';
/** The ledger entry kind recording that a search is over (`fathom log --kind learn.search`). */
export const SEARCH_KIND = 'learn.search';

/**
 * A search once it is over: the trials it consists of. Under a time budget, which trials ran
 * depends on the machine; recording the set is what makes the ensemble over it, and a run of
 * an unchanged project, reuse what was done instead of searching on.
 */
export interface SearchRecord {
  readonly id: string;
  readonly name: string;
  /** The learn.dataset action the trials ran on. */
  readonly dataset: string;
  readonly leaderboard: readonly LeaderboardRow[];
  readonly rounds: number;
  readonly unitsUsed: number;
}

export async function closeSearch(ledger: LedgerStore, workerId: string, record: SearchRecord): Promise<number> {
  const ok = record.leaderboard.filter((t) => t.status === 'ok').length;
  const entry = await ledger.append({
    kind: SEARCH_KIND,
    status: 'recorded',
    workerId,
    params: { id: record.id, name: record.name, dataset: record.dataset },
    detail: { trials: record.leaderboard.length, completed: ok, rounds: record.rounds, unitsUsed: record.unitsUsed },
    patches: [{ collection: SEARCHES, key: record.id, value: record }],
  });
  return entry.seq;
}
