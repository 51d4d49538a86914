import { seededRandom } from '../eval/seeded-random.js';
import { canonicalJson } from '../../util/hash.js';
import { flow2, type Flow2 } from './flow2.js';
import type { Family, SearchSpace } from './search-space.js';
import { paramsFromUnit, unitFromParams, type Params } from './param-space.js';

export interface TrialConfig {
  readonly family: Family;
  readonly params: Params;
  /** 'portfolio' (zero-shot) or 'search' (proposed by FLOW2). */
  readonly origin: 'portfolio' | 'search';
}

/** What the search needs to know of a finished trial. */
export interface TrialResult {
  /** 'stopped': cut off by the time budget, which says nothing about the configuration. */
  readonly status: 'ok' | 'stopped' | 'failed';
  /** The search score, higher is better; NaN unless ok. */
  readonly score: number;
  /** Work done, in the learner's units (row × feature passes). */
  readonly units: number;
}

export interface RoundsOptions {
  readonly learners: readonly SearchSpace[];
  readonly seed: number;
  /**
   * Stop once completed trials used this many work units. It is checked between rounds: every
   * trial of the round that reached it counts (they ran in parallel; none is wasted).
   */
  readonly budgetUnits: number | null;
  /** At most this many trials: proposals past it are never made, so none runs for nothing. */
  readonly maxTrials?: number;
}

export interface SearchRounds {
  /** Every configuration proposed so far, in order, with its result once it has one. */
  readonly trials: ReadonlyArray<{ readonly config: TrialConfig; readonly result: TrialResult | undefined }>;
  /** How many rounds were proposed; the last one is the frontier while `pending` is not empty. */
  readonly rounds: number;
  /** The frontier round's configurations that have no result yet: what to run next. */
  readonly pending: readonly TrialConfig[];
  /** The search is over: its budget is used, it was told to stop, or it has nothing new to try. */
  readonly done: boolean;
  readonly unitsUsed: number;
}

/** A configuration's identity: the same family and parameters is the same trial. */
export const configKey = (c: Pick<TrialConfig, 'family' | 'params'>): string =>
  canonicalJson({ f: c.family, p: c.params });

// Rounds in a row that proposed nothing new before the search gives up (FLOW2 has converged).
const EMPTY_ROUNDS = 50;

/**
 * The search as rounds of trials, replayed from the results so far: the zero-shot portfolio
 * (each learner's configurations, interleaved, cheapest first) is round 1; each later round is
 * a batch of FLOW2 proposals, in the manner of FLAML's CFO: two directions (four points) around
 * the best configuration of the learner holding the overall best, and every other round one
 * direction for each other learner. A round is proposed only when the one before has every
 * result, and depends only on those results, so the trials of a round can run on any number
 * of workers in any order and the search is the same. Pure: the caller runs `pending`, then
 * asks again with the results, until `done`. `stop` (the time budget ran out) proposes no
 * round that has not begun: the search ends with the rounds that ran.
 */
export function searchRounds(
  opts: RoundsOptions,
  resultOf: (config: TrialConfig) => TrialResult | undefined,
  stop = false,
): SearchRounds {
  const rng = seededRandom(opts.seed ^ 0x5eed);
  const trials: Array<{ config: TrialConfig; result: TrialResult | undefined }> = [];
  const seen = new Map<string, TrialResult | undefined>();
  const searches = new Map<Family, Flow2>();
  let units = 0;
  let best: { family: Family; score: number } | null = null;
  let empty = 0;

  const portfolio: TrialConfig[] = [];
  const longest = Math.max(0, ...opts.learners.map((l) => l.portfolio.length));
  for (let i = 0; i < longest; i++) {
    for (const l of opts.learners) {
      if (l.portfolio[i]) portfolio.push({ family: l.family, params: l.portfolio[i]!, origin: 'portfolio' });
    }
  }
  const bestOf = (family: Family) =>
    trials
      .filter((t) => t.config.family === family && t.result?.status === 'ok' && !Number.isNaN(t.result.score))
      .sort((a, b) => b.result!.score - a.result!.score)[0];
  const searchFor = (l: SearchSpace): Flow2 => {
    let s = searches.get(l.family);
    if (!s) {
      const mine = bestOf(l.family);
      const start = mine?.config.params ?? Object.fromEntries(l.dims.map((d) => [d.name, d.init]));
      s = flow2(unitFromParams(l.dims, start), rng, mine ? { startScore: mine.result!.score } : {});
      searches.set(l.family, s);
    }
    return s;
  };

  for (let round = 0; ; round++) {
    // Round 0 is the portfolio; every later one asks FLOW2 for points around each incumbent.
    const asked: Array<{ learner: SearchSpace | null; configs: TrialConfig[] }> = [];
    if (round === 0) asked.push({ learner: null, configs: portfolio });
    else {
      const leader = opts.learners.find((l) => l.family === best?.family) ?? opts.learners[0]!;
      for (const l of opts.learners) {
        const directions = l === leader ? 2 : round % 2 === 1 ? 1 : 0;
        if (directions === 0) continue;
        const points = searchFor(l).propose(directions);
        const configs = points.map((p) => ({
          family: l.family,
          params: paramsFromUnit(l.dims, p),
          origin: 'search' as const,
        }));
        asked.push({ learner: l, configs });
      }
    }
    const fresh: TrialConfig[] = [];
    const room = opts.maxTrials === undefined ? Infinity : opts.maxTrials - trials.length;
    for (const a of asked) {
      for (const c of a.configs) {
        const key = configKey(c);
        if (seen.has(key) || fresh.some((f) => configKey(f) === key) || fresh.length >= room) continue;
        fresh.push(c);
      }
    }
    // Out of time, a round none of whose trials ran is not started: the search is what ran.
    if (stop && fresh.length > 0 && fresh.every((c) => resultOf(c) === undefined)) {
      return { trials, rounds: round, pending: [], done: true, unitsUsed: units };
    }
    for (const c of fresh) {
      const result = resultOf(c);
      trials.push({ config: c, result });
      seen.set(configKey(c), result);
    }
    const pending = fresh.filter((c) => seen.get(configKey(c)) === undefined);
    if (pending.length > 0) return { trials, rounds: round + 1, pending, done: false, unitsUsed: units };

    for (const c of fresh) {
      const r = seen.get(configKey(c))!;
      units += r.units;
      if (r.status === 'ok' && !Number.isNaN(r.score) && (best === null || r.score > best.score)) {
        best = { family: c.family, score: r.score };
      }
    }
    // Each learner's search hears the scores of the points it proposed (known ones included).
    for (const a of asked) {
      if (a.learner !== null) searchFor(a.learner).report(a.configs.map((c) => scoreOf(seen.get(configKey(c))!)));
    }
    empty = fresh.length === 0 ? empty + 1 : 0;
    const over =
      (opts.budgetUnits !== null && units >= opts.budgetUnits) ||
      (opts.maxTrials !== undefined && trials.length >= opts.maxTrials) ||
      empty >= EMPTY_ROUNDS ||
      opts.learners.length === 0;
    if (over) return { trials, rounds: round + 1, pending: [], done: true, unitsUsed: units };
  }
}

const scoreOf = (r: TrialResult): number => (r.status === 'ok' ? r.score : Number.NaN);
