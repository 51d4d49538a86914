import type { Workspace } from '../workspace/open-workspace.js';
import { FathomError } from '../util/fathom-error.js';
import { makePlan, type PlannedAction } from '../orchestrate/plan.js';
import { executePlan, type PlanRunner } from '../orchestrate/run-plan.js';
import { startLocalWorkers, type LocalWorkers } from '../orchestrate/local-workers.js';
import { ACTIONS, recordedError, type ActionRecord } from '../orchestrate/run-action.js';
import { connectAndRecord, type ConnectEnv } from '../sources/record-source.js';
import { SOURCES, type SourceRecord } from '../sources/source-actions.js';
import { loadReview, decide, type ReviewState } from '../metadata/review-workspace.js';
import { pendingProposals, type Proposal } from '../metadata/proposals.js';
import { reviewer } from '../metadata/metadata-state.js';
import { closeSearch } from '../train/search-record.js';
import {
  registerModel,
  promoteModel,
  listModelVersions,
  versionKey,
  type ModelVersion,
} from '../deploy/model-registry.js';
import type { TrainOutput } from '../train/ensemble-kind.js';
import { STEPS, type NodeState, type PlanNode, type Step } from './plan-node.js';
import type { PipelineGoals } from './pipeline-goals.js';
import { loadState, planFromState, type PlanCache } from './load-state.js';
import type { BuiltNode } from './derive/plan-builder.js';
import type { DecisionWork } from './derive/derive-review.js';
import type { PromoteWork, RegisterWork } from './derive/derive-deploy.js';
import type { SearchRecord } from '../train/search-record.js';
import { stepDetails } from './step-details.js';
import { nodeOutput } from './load-state.js';
import type { TrialOutput, TrialParams } from '../train/trial-kind.js';

export const PIPELINE_KIND = 'pipeline.run';
/** The projection of the last run (`fathom status` says where it stopped, and why). */
export const PIPELINE_RUNS = 'pipeline';
export const LAST_RUN = 'last';

export interface LastRun {
  readonly at: string;
  /** The gate it waits at for a person, if it stopped at one. */
  readonly stoppedAt: 'review' | 'promote' | null;
  readonly reason: string | null;
  readonly model: string | null;
  readonly nothingRan: boolean;
}
/** Serving is the caller's to start (it runs until stopped): the plan shows it, the run leaves it. */
const SERVE_NODE = 'deploy.serve';

export interface RunOptions {
  readonly goals: PipelineGoals;
  /** A location to connect first, under this source name. */
  readonly connect?: { readonly name: string; readonly location: string };
  /** Local worker processes to start (0: run in this process); 'joined': only workers that joined the queue. */
  readonly workers: number | 'joined';
  /** When the training's time budget started (the command's own start); default: when training first runs. */
  readonly trainingStartedAt?: number;
  readonly leaseSeconds?: number;
  readonly backoffSeconds?: number;
}

export interface RunHooks {
  readonly progress?: (line: string) => void;
  /** Queued work as it goes: done and total of the current batch, and how many are running. */
  readonly onProgress?: (p: { done: number; total: number; label: string }) => void;
  /** At a terminal: let the person review now; true when they did. */
  readonly review?: (ws: Workspace, state: ReviewState, pending: readonly Proposal[]) => Promise<boolean>;
  /** At a terminal: ask for production approval of `version` (replacing `current`). */
  readonly approveProduction?: (version: ModelVersion, current: ModelVersion | null) => Promise<boolean>;
}

/** What one node did in this run. */
export interface NodeRun {
  readonly id: string;
  readonly step: Step;
  readonly kind: string;
  /** Its state when the run first planned it. */
  readonly before: NodeState;
  /** ran: it ran (or the planning process did it); reused; waiting: it waits for a person; not reached. */
  readonly outcome: 'ran' | 'failed' | 'reused' | 'waiting' | 'not reached';
  readonly reason: string | null;
}

/** Per step: how many nodes ran or were reused, and what they were. */
export interface StepReport {
  readonly step: Step;
  readonly status: 'ran' | 'reused' | 'stopped' | 'skipped';
  readonly ran: Readonly<Record<string, number>>;
  readonly reused: number;
  readonly detail: string;
}

export interface RunOutcome {
  readonly nodes: readonly NodeRun[];
  readonly steps: readonly StepReport[];
  /** The gate where the run waits for a person, if it does. */
  readonly stoppedAt: 'review' | 'promote' | null;
  readonly stoppedReason: string | null;
  readonly model: ModelVersion | null;
  readonly train: TrainOutput | null;
  readonly nothingRan: boolean;
  /** The `pipeline.run` ledger entry. */
  readonly seq: number;
  readonly ms: number;
}

/**
 * Run the pipeline: plan (derivePlan over the state), do what is ready, plan again, until the
 * goals are met or a gate waits for a person. Queued nodes run on the workers (this process,
 * local worker processes, or workers joined from other machines); the planning process does
 * the rest (review decisions approved ahead of time, closing a search, registering, promoting).
 * A run that stops at a gate is recorded; the next one goes on from there, reusing everything
 * that was done.
 */
export async function runPipeline(
  ws: Workspace,
  env: ConnectEnv,
  options: RunOptions,
  hooks: RunHooks = {},
): Promise<RunOutcome> {
  const t0 = Date.now();
  const say = hooks.progress ?? (() => undefined);
  const ledger = await ws.ledger();
  const runFrom = (await ledger.head()).seq;
  if (options.connect) {
    const out = await connectAndRecord(ws, options.connect, env);
    say(`connected ${options.connect.name}: ${out.tables.length} tables`);
  }
  // A source connected a moment ago is current: it is not discovered twice.
  await refreshSources(ws, env, options.goals, options.connect?.name);
  const local = typeof options.workers === 'number' && options.workers > 0 ? startWorkers(ws, options) : null;
  const runner: PlanRunner =
    local !== null
      ? { kind: 'local', workers: local }
      : options.workers === 'joined'
        ? { kind: 'joined' }
        : { kind: 'here', backoffSeconds: options.backoffSeconds ?? 0.2, leaseSeconds: options.leaseSeconds };
  const first = new Map<string, PlanNode>();
  const ran = new Map<string, 'ran' | 'failed'>();
  let trainingStartedAt = options.trainingStartedAt ?? null;
  let reviewedNow = false;
  let asked = new Set<string>();
  let last: readonly BuiltNode[] = [];
  let stopped: { gate: 'review' | 'promote'; reason: string | null } | null = null;
  const cache: PlanCache = { records: new Map(), outputs: new Map() };
  let lastBatch = '';
  try {
    for (let pass = 0; ; pass++) {
      const state = await loadState(ws, { discover: false, stdin: env.stdin, runFrom, trainingStartedAt });
      const { derived } = await planFromState(ws, options.goals, state, { reviewedNow }, cache);
      last = derived.nodes;
      for (const n of last) if (!first.has(n.id)) first.set(n.id, n);
      const byId = new Map(last.map((n) => [n.id, n]));
      // Done means done for exactly these inputs: a provisional node is an expectation.
      const isDone = (id: string) => byId.get(id)?.state === 'reused' && byId.get(id)?.provisional !== true;
      const doneDeps = (n: PlanNode) => n.deps.every(isDone);
      const broken = last.find((n) => n.error && doneDeps(n));
      if (broken)
        throw new FathomError(broken.kind === 'learn.train' ? 'failed' : 'bad_input', broken.error!.message, {
          hint: broken.error!.hint,
        });
      const here = last.find(
        (n) =>
          n.runs === 'here' &&
          !n.provisional &&
          n.kind !== SERVE_NODE &&
          (n.state === 'ready' || (n.state === 'stale' && n.work !== undefined)) &&
          doneDeps(n),
      );
      if (here) {
        await runHere(ws, env, here, say);
        ran.set(here.id, 'ran');
        if (here.kind === 'gate.review') reviewedNow = true;
        continue;
      }
      const batch = runnable(last);
      if (batch.length > 0) {
        if (
          trainingStartedAt === null &&
          batch.some((n) => n.kind.startsWith('learn.')) &&
          options.goals.train?.timeBudgetMs != null
        ) {
          trainingStartedAt = Date.now();
          continue; // plan again: the trials' stop times count from now
        }
        // Every batch moves the plan on; the same batch twice would be a planner that does not converge.
        const signature = batch.map((n) => n.action!.fingerprint).join(' ');
        if (signature === lastBatch) {
          throw new FathomError('failed', `the plan does not converge: ${batch[0]!.id} is planned again after it ran`, {
            hint: 'this is a bug in Fathom: please report it with fathom plan --json',
          });
        }
        lastBatch = signature;
        const queuedNodes = last.filter((n) => n.runs === 'queue');
        const doneBefore = queuedNodes.filter((n) => n.state === 'reused').length;
        const total = Math.max(queuedNodes.length, doneBefore + batch.length);
        const progress = hooks.onProgress
          ? (p: { done: number; label: string }) =>
              hooks.onProgress!({ done: doneBefore + p.done, total, label: p.label })
          : undefined;
        await runBatch(ws, batch, runner, say, ran, progress);
        continue;
      }
      const gate = last.find((n) => n.state === 'waiting-for-gate' && n.gate && doneDeps(n) && !asked.has(n.id));
      if (gate && (await askPerson(ws, gate, hooks))) {
        asked = new Set([...asked, gate.id]);
        if (gate.gate === 'review') reviewedNow = true;
        else {
          await runHere(ws, env, gate, say);
          ran.set(gate.id, 'ran');
        }
        continue;
      }
      const waiting = last.find((n) => n.state === 'waiting-for-gate' && n.gate && doneDeps(n));
      if (waiting) stopped = { gate: waiting.gate === 'review' ? 'review' : 'promote', reason: waiting.reason };
      else {
        const stuck = last.find(
          (n) =>
            n.state !== 'reused' &&
            n.state !== 'waiting-for-gate' &&
            n.kind !== 'source.connect' &&
            n.kind !== SERVE_NODE,
        );
        if (stuck)
          throw new FathomError('failed', `the plan cannot go on at ${stuck.id}: ${stuck.reason ?? stuck.state}`, {
            hint: 'this is a bug in Fathom: please report it with fathom plan --json',
          });
      }
      break;
    }
  } finally {
    await local?.stop();
  }
  const queued = last.filter((n) => n.runs === 'queue').length;
  hooks.onProgress?.({ done: queued, total: queued, label: 'done' });
  return record(ws, options, { first, ran, last, stopped, runFrom, t0 });
}

/** Nodes to queue now: ready or stale, derived exactly, each waiting only for done nodes or others queued with it. */
function runnable(nodes: readonly BuiltNode[]): BuiltNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const chosen = new Set<string>();
  const eligible = (n: BuiltNode) =>
    n.runs === 'queue' && n.action !== null && !n.provisional && (n.state === 'ready' || n.state === 'stale');
  for (let grew = true; grew;) {
    grew = false;
    for (const n of nodes) {
      if (chosen.has(n.id) || !eligible(n)) continue;
      const done = (d: string) => byId.get(d)?.state === 'reused' && byId.get(d)?.provisional !== true;
      if (n.deps.every((d) => done(d) || chosen.has(d))) {
        chosen.add(n.id);
        grew = true;
      }
    }
  }
  return nodes.filter((n) => chosen.has(n.id));
}

async function runBatch(
  ws: Workspace,
  batch: readonly BuiltNode[],
  runner: PlanRunner,
  say: (line: string) => void,
  ran: Map<string, 'ran' | 'failed'>,
  onProgress: ((p: { done: number; label: string }) => void) | undefined,
): Promise<void> {
  const byFp = new Map(batch.map((n) => [n.action!.fingerprint, n]));
  const inBatch = new Set(byFp.keys());
  // Upstream actions already done are no dependencies to wait for: the queue has them done.
  // Workers claim in queue order. Under a unit budget every trial runs to its end: the longest
  // go first and the small ones fill in around them (LPT scheduling), instead of the biggest
  // starting last. Under a time budget the search's own order stands, cheapest first, so the
  // budget buys results before it buys the big trials.
  const timed = batch.some((n) => n.action?.stopAt != null);
  const ordered = timed ? [...batch] : [...batch].sort((a, b) => costOf(b) - costOf(a));
  const actions: PlannedAction[] = ordered.map((n) => ({
    ...n.action!,
    dependsOn: n.action!.dependsOn.filter((d) => inBatch.has(d)),
  }));
  say(`running ${batch.length}: ${summarize(batch.map((n) => n.id))}`);
  const outcome = await executePlan(ws, makePlan(actions), runner, {
    ...(onProgress
      ? {
          onProgress: (p) =>
            onProgress({
              done: p.done + p.failed,
              label: p.running > 0 ? `${p.running} running` : 'queued',
            }),
        }
      : {}),
  });
  const failed = new Set(outcome.failed.map((f) => f.fingerprint));
  for (const [fp, n] of byFp) ran.set(n.id, failed.has(fp) ? 'failed' : 'ran');
  // A trial's failure is its result; any other failure stops the run with its error.
  const fatal = outcome.failed.find((f) => byFp.get(f.fingerprint)?.kind !== 'learn.trial');
  if (fatal) {
    const rec = (await (await ws.ledger()).getState<ActionRecord>(ACTIONS, fatal.fingerprint))?.value;
    throw recordedError(rec, `${byFp.get(fatal.fingerprint)!.id}`);
  }
  for (const f of outcome.failed) say(`  ${byFp.get(f.fingerprint)!.id}: ${(f.error ?? 'failed').split('\n')[0]}`);
  for (const n of batch.filter((x) => x.kind === 'learn.trial' && !failed.has(x.action!.fingerprint))) {
    const out = await nodeOutput<TrialOutput>(ws, n);
    if (out) say(trialLine(n, out));
  }
}

/** What the planning process does itself: decisions, closing a search, registering, promoting. */
async function runHere(ws: Workspace, env: ConnectEnv, node: BuiltNode, say: (line: string) => void): Promise<void> {
  const by = reviewer(env.env);
  if (node.kind === 'metadata.review' || node.kind === 'gate.review') {
    const work = node.work as DecisionWork;
    const recorded = await decide(ws, await loadReview(ws), work.decisions, { via: work.via, env: env.env });
    say(`${node.id}: ${recorded.changes.length} decisions recorded (metadata v${recorded.version})`);
  } else if (node.kind === 'learn.search') {
    const { record } = node.work as { record: SearchRecord };
    await closeSearch(await ws.ledger(), ws.config.workerId, record);
    say(
      `${node.id}: closed, ${record.leaderboard.length} trials in ${record.rounds} rounds, ${record.unitsUsed} units`,
    );
  } else if (node.kind === 'deploy.register') {
    const r = await registerModel(ws, (node.work as RegisterWork).card, by);
    say(`${node.id}: ${versionKey(r.version.name, r.version.version)} (${r.version.stage})`);
  } else if (node.kind === 'deploy.promote') {
    const p = await promoteModel(ws, (node.work as PromoteWork).ref, 'production', { by, approved: true });
    say(
      `${node.id}: ${versionKey(p.version.name, p.version.version)} -> production${p.archived.length ? ` (replaces ${p.archived.map((a) => `v${a.version}`).join(', ')})` : ''}`,
    );
  } else {
    throw new FathomError('failed', `the planning process has nothing to do for ${node.kind}`, {
      hint: 'this is a bug in Fathom: please report it',
    });
  }
}

/** A gate waiting for a person, at a terminal: the review prompt, or the production question. */
async function askPerson(ws: Workspace, gate: BuiltNode, hooks: RunHooks): Promise<boolean> {
  if (gate.gate === 'review' && hooks.review) {
    const state = await loadReview(ws);
    return hooks.review(ws, state, pendingProposals(state.catalog));
  }
  if (gate.gate === 'production' && hooks.approveProduction && gate.work !== undefined) {
    const ref = (gate.work as PromoteWork).ref;
    const versions = await listModelVersions(ws, ref.split('@')[0]);
    const version = versions.find((v) => versionKey(v.name, v.version) === ref)!;
    return hooks.approveProduction(version, versions.find((v) => v.stage === 'production') ?? null);
  }
  return false;
}

/** Discover the sources the goals touch again: changed data gets new fingerprints before planning. */
async function refreshSources(
  ws: Workspace,
  env: ConnectEnv,
  goals: PipelineGoals,
  connected: string | undefined,
): Promise<void> {
  const ledger = await ws.ledger();
  const wanted = goals.sources ?? (await ledger.listState<SourceRecord>(SOURCES)).map((s) => s.key);
  const train = goals.train?.source;
  for (const name of new Set([...wanted, ...(train ? [train] : [])])) {
    if (name === connected) continue;
    const rec = (await ledger.getState<SourceRecord>(SOURCES, name))?.value;
    if (!rec) throw new FathomError('usage', `No source named ${name}`, { hint: 'List them with `fathom sources`.' });
    await connectAndRecord(
      ws,
      { name, location: rec.location, options: rec.options },
      { ...env, cwd: ws.paths.root },
    ).catch((err: unknown) => {
      throw refreshFailed(name, rec.location, err);
    });
  }
}

/** A source that could be read at connect time and no longer can: say which, and how to move it. */
function refreshFailed(name: string, location: string, thrown: unknown): unknown {
  if (!(thrown instanceof FathomError)) return thrown;
  const move = `If the data moved: fathom connect ${name} NEW_LOCATION --replace`;
  return new FathomError(thrown.kind, `Source ${name} (${location}): ${thrown.message}`, {
    hint: thrown.hint ? `${thrown.hint} ${move}` : move,
    cause: thrown,
    ...(thrown.context ? { context: { ...thrown.context } } : {}),
  });
}

function startWorkers(ws: Workspace, options: RunOptions): LocalWorkers {
  return startLocalWorkers(ws, {
    count: options.workers as number,
    stderr: 'ignore',
    ...(options.leaseSeconds !== undefined ? { leaseSeconds: options.leaseSeconds } : {}),
    ...(options.backoffSeconds !== undefined ? { backoffSeconds: options.backoffSeconds } : {}),
  });
}

const summarize = (ids: readonly string[]): string => {
  const byKind = new Map<string, number>();
  for (const id of ids) byKind.set(id.split(' ')[0]!, (byKind.get(id.split(' ')[0]!) ?? 0) + 1);
  return [...byKind].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ');
};

/** The run as the ledger keeps it: a `pipeline.run` entry with what each node did. */
async function record(
  ws: Workspace,
  options: RunOptions,
  r: {
    first: ReadonlyMap<string, PlanNode>;
    ran: ReadonlyMap<string, 'ran' | 'failed'>;
    last: readonly BuiltNode[];
    stopped: { gate: 'review' | 'promote'; reason: string | null } | null;
    runFrom: number;
    t0: number;
  },
): Promise<RunOutcome> {
  const final = new Map(r.last.map((n) => [n.id, n]));
  const nodes: NodeRun[] = [...r.first.values()].map((n) => {
    const now = final.get(n.id);
    const did = r.ran.get(n.id);
    const outcome: NodeRun['outcome'] =
      did ?? (now?.state === 'reused' ? 'reused' : now?.state === 'waiting-for-gate' ? 'waiting' : 'not reached');
    return { id: n.id, step: n.step, kind: n.kind, before: n.state, outcome, reason: now?.reason ?? n.reason };
  });
  const details = await stepDetails(ws, r.last, new Set([...r.ran.keys()]));
  const steps = STEPS.map((step): StepReport => {
    const mine = nodes.filter((n) => n.step === step);
    const ranKinds: Record<string, number> = {};
    for (const n of mine.filter((x) => x.outcome === 'ran' || x.outcome === 'failed'))
      ranKinds[n.kind] = (ranKinds[n.kind] ?? 0) + 1;
    const waiting = mine.find((n) => n.outcome === 'waiting');
    const status: StepReport['status'] =
      mine.length === 0
        ? 'skipped'
        : waiting
          ? 'stopped'
          : Object.keys(ranKinds).length > 0
            ? 'ran'
            : mine.every((n) => n.outcome === 'reused')
              ? 'reused'
              : 'skipped';
    const detail = waiting?.reason ?? details[step] ?? '';
    return { step, status, ran: ranKinds, reused: mine.filter((n) => n.outcome === 'reused').length, detail };
  });
  const nothingRan = r.ran.size === 0;
  const trainNode = r.last.find((n) => n.kind === 'learn.train' && n.state === 'reused');
  const rec = trainNode?.action
    ? (await (await ws.ledger()).getState<ActionRecord>(ACTIONS, trainNode.action.fingerprint))?.value
    : undefined;
  const train =
    rec?.status === 'succeeded' && rec.output ? await (await ws.objects()).getJson<TrainOutput>(rec.output) : null;
  const model = train ? ((await listModelVersions(ws, train.name)).find((v) => v.model === train.model) ?? null) : null;
  const entry = await (
    await ws.ledger()
  ).append({
    kind: PIPELINE_KIND,
    status: 'recorded',
    workerId: ws.config.workerId,
    params: { goals: options.goals, connect: options.connect ?? null },
    detail: {
      fromSeq: r.runFrom + 1,
      stoppedAt: r.stopped?.gate ?? null,
      nothingRan,
      model: model ? versionKey(model.name, model.version) : null,
      nodes: nodes.map((n) => ({ id: n.id, before: n.before, outcome: n.outcome })),
    },
    patches: [
      {
        collection: PIPELINE_RUNS,
        key: LAST_RUN,
        value: {
          at: new Date().toISOString(),
          stoppedAt: r.stopped?.gate ?? null,
          reason: r.stopped?.reason ?? null,
          model: model ? versionKey(model.name, model.version) : null,
          nothingRan,
        } satisfies LastRun,
      },
    ],
  });
  return {
    nodes,
    steps,
    stoppedAt: r.stopped?.gate ?? null,
    stoppedReason: r.stopped?.reason ?? null,
    model,
    train,
    nothingRan,
    seq: entry.seq,
    ms: Date.now() - r.t0,
  };
}

/** A rough relative cost of a node, for the order it is queued in: trials by their size, the rest before them. */
function costOf(n: BuiltNode): number {
  if (n.kind !== 'learn.trial') return Number.MAX_SAFE_INTEGER;
  const p = (n.action!.params as TrialParams).params;
  if ((n.action!.params as TrialParams).family !== 'gbdt') return 1;
  return (p.numRounds ?? 100) * (p.featureFraction ?? 1) * Math.max(1, Math.log2(p.numLeaves ?? 31));
}

/** A finished trial for people: `trial 3 gbdt numRounds=100 …: 0.9123 (812 ms)`. */
function trialLine(n: BuiltNode, out: TrialOutput): string {
  const p = n.action!.params as TrialParams;
  const cfg = Object.entries(p.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `trial ${n.id.split('#').pop()} ${p.family} ${cfg}: ${out.metric} ${out.metricValue.toFixed(4)} (${out.ms} ms)`;
}
