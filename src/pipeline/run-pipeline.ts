import type { Workspace } from '../workspace/open-workspace.js';
import { FathomError } from '../util/fathom-error.js';
import type { PlanRunner } from '../orchestrate/run-plan.js';
import { startLocalWorkers, type LocalWorkers } from '../orchestrate/local-workers.js';
import { connectAndRecord, type ConnectEnv } from '../sources/record-source.js';
import type { ReviewState } from '../metadata/review-workspace.js';
import type { Proposal } from '../metadata/proposals.js';
import type { ModelVersion } from '../deploy/model-registry.js';
import type { TrainOutput } from '../train/ensemble-kind.js';
import type { NodeState, PlanNode, Step } from './plan-node.js';
import type { PipelineGoals } from './pipeline-goals.js';
import { loadState, planFromState, type PlanCache } from './load-state.js';
import type { BuiltNode } from './derive/plan-builder.js';
import { runBatch, runnable } from './run-batch.js';
import { askPerson, runHere } from './here-work.js';
import { refreshSources } from './refresh-sources.js';
import { recordRun } from './run-record.js';

export { PIPELINE_KIND, PIPELINE_RUNS, LAST_RUN, type LastRun } from './run-record.js';

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
  const cache: PlanCache = { records: new Map(), outputs: new Map(), objects: new Map() };
  let lastBatch = '';
  try {
    for (let pass = 0; ; pass++) {
      const state = await loadState(ws, { discover: false, stdin: env.stdin, runFrom, trainingStartedAt }, cache);
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
  return recordRun(ws, options, { first, ran, last, stopped, runFrom, t0 });
}

function startWorkers(ws: Workspace, options: RunOptions): LocalWorkers {
  return startLocalWorkers(ws, {
    count: options.workers as number,
    stderr: 'ignore',
    ...(options.leaseSeconds !== undefined ? { leaseSeconds: options.leaseSeconds } : {}),
    ...(options.backoffSeconds !== undefined ? { backoffSeconds: options.backoffSeconds } : {}),
  });
}
