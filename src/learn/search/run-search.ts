import { seededRandom } from '../eval/seeded-random.js';
import { flow2, type Flow2 } from './flow2.js';
import type { Family, Learner } from './learners.js';
import { paramsFromUnit, unitFromParams, type Params } from './param-space.js';
import { canonicalJson } from '../../util/hash.js';

export interface TrialConfig {
  readonly family: Family;
  readonly params: Params;
  /** 'portfolio' (zero-shot) or 'search' (proposed by FLOW2). */
  readonly origin: 'portfolio' | 'search';
}

export interface EvaluatedTrial {
  readonly status: 'ok' | 'stopped' | 'failed';
  /** Identifies the trial (its ledger fingerprint). */
  readonly id: string;
  /** Mean fold metric, and the search score (higher is better). */
  readonly metricValue: number;
  readonly score: number;
  readonly foldScores: ReadonlyArray<number | null>;
  readonly units: number;
  readonly ms: number;
  readonly reused: boolean;
  readonly oof?: Float64Array;
  /** Object hash of the trial's fold models. */
  readonly models?: string;
  readonly error?: string;
}

export interface LeaderboardEntry extends TrialConfig, Omit<EvaluatedTrial, 'oof'> {
  readonly trial: number;
}

export interface SearchOptions {
  readonly learners: readonly Learner[];
  readonly seed: number;
  /**
   * Epoch ms: trials still running then are stopped, and no new one starts. A function is asked
   * again before each trial (the caller may move it as it learns what finishing will cost).
   */
  readonly deadline: number | null | ((leaderboard: readonly LeaderboardEntry[]) => number);
  /** Stop once completed trials used this many work units. */
  readonly budgetUnits: number | null;
  readonly maxTrials?: number;
  /** How many of the best trials keep their out-of-fold predictions for the ensemble. */
  readonly keepTop?: number;
  evaluate(config: TrialConfig, stopAt: number | null): Promise<EvaluatedTrial>;
  onTrial?(entry: LeaderboardEntry, best: LeaderboardEntry | null): void;
}

export interface SearchOutcome {
  readonly leaderboard: readonly LeaderboardEntry[];
  /** The best trials with their out-of-fold predictions, best first. */
  readonly top: ReadonlyArray<{ entry: LeaderboardEntry; oof: Float64Array }>;
  readonly unitsUsed: number;
}

/**
 * The search: the zero-shot portfolio first (each learner's configurations, interleaved,
 * cheapest first), then FLOW2 local search per learner from its best configuration, in the
 * manner of FLAML's CFO. The learner holding the overall best gets three proposals in four;
 * the others share the fourth. Every decision depends only on trial scores, so with a budget
 * in work units (and no deadline) the search is deterministic.
 */
export async function runSearch(opts: SearchOptions): Promise<SearchOutcome> {
  const rng = seededRandom(opts.seed ^ 0x5eed);
  const keepTop = opts.keepTop ?? 8;
  const leaderboard: LeaderboardEntry[] = [];
  const top: Array<{ entry: LeaderboardEntry; oof: Float64Array }> = [];
  const seen = new Map<string, LeaderboardEntry>();
  let units = 0;
  let best: LeaderboardEntry | null = null;

  const deadline = (): number | null =>
    typeof opts.deadline === 'function' ? opts.deadline(leaderboard) : opts.deadline;
  const exhausted = () =>
    (deadline() !== null && Date.now() >= deadline()!) ||
    (opts.budgetUnits !== null && units >= opts.budgetUnits) ||
    (opts.maxTrials !== undefined && leaderboard.length >= opts.maxTrials);

  const evaluate = async (config: TrialConfig): Promise<LeaderboardEntry> => {
    const key = canonicalJson({ f: config.family, p: config.params });
    const known = seen.get(key);
    if (known) return known;
    const t = await opts.evaluate(config, deadline());
    const { oof, ...rest } = t;
    const entry: LeaderboardEntry = { trial: leaderboard.length + 1, ...config, ...rest };
    leaderboard.push(entry);
    seen.set(key, entry);
    units += t.units;
    if (t.status === 'ok' && !Number.isNaN(t.score)) {
      if (best === null || t.score > best.score) best = entry;
      if (oof) {
        top.push({ entry, oof });
        // Stable sort: equal scores keep trial order.
        top.sort((a, b) => b.entry.score - a.entry.score);
        top.length = Math.min(top.length, keepTop);
      }
    }
    opts.onTrial?.(entry, best);
    return entry;
  };

  const portfolio: TrialConfig[] = [];
  const longest = Math.max(...opts.learners.map((l) => l.portfolio.length));
  for (let i = 0; i < longest; i++) {
    for (const l of opts.learners)
      if (l.portfolio[i]) portfolio.push({ family: l.family, params: l.portfolio[i]!, origin: 'portfolio' });
  }
  for (const config of portfolio) {
    if (exhausted()) break;
    await evaluate(config);
  }

  const searches = new Map<Family, Flow2>();
  const searchFor = (l: Learner): Flow2 => {
    let s = searches.get(l.family);
    if (!s) {
      const mine = leaderboard
        .filter((e) => e.family === l.family && e.status === 'ok' && !Number.isNaN(e.score))
        .sort((a, b) => b.score - a.score)[0];
      s = flow2(unitFromParams(l.dims, mine?.params ?? Object.fromEntries(l.dims.map((d) => [d.name, d.init]))), rng);
      searches.set(l.family, s);
    }
    return s;
  };
  let round = 0;
  let duplicates = 0;
  while (!exhausted() && duplicates < 100) {
    const leader =
      opts.learners.find((l) => l.family === (best as LeaderboardEntry | null)?.family) ?? opts.learners[0]!;
    const others = opts.learners.filter((l) => l !== leader);
    const learner = round % 4 === 3 && others.length > 0 ? others[Math.floor(round / 4) % others.length]! : leader;
    round++;
    const search = searchFor(learner);
    const params = paramsFromUnit(learner.dims, search.propose());
    const before = leaderboard.length;
    const entry = await evaluate({ family: learner.family, params, origin: 'search' });
    duplicates = leaderboard.length === before ? duplicates + 1 : 0;
    // A trial stopped by the deadline says nothing about its configuration: not reported.
    if (entry.status !== 'stopped') search.report(entry.status === 'ok' ? entry.score : Number.NaN);
  }
  return { leaderboard, top, unitsUsed: units };
}
