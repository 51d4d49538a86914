import { hostname } from 'node:os';
import { FathomError, toError } from '../util/fathom-error.js';
import type { LedgerStore, VerifyProblem } from '../ledger/ledger-store.js';
import type { ObjectStore } from '../ledger/object-store.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { LeaseLostError, type ClaimedAction, type LeaseTimes } from '../ledger/work-queue.js';
import type { ResolvedInput } from './action-kind.js';
import { registeredActionKind } from './action-registry.js';
import { actionFingerprint } from './fingerprint.js';
import { ACTIONS, readActionOutput, runAction, type ActionRecord } from './run-action.js';
import { isUnreachable, untilReachable } from './until-reachable.js';

export interface WorkerOptions {
  /** This worker's identity in the ledger and the queue. */
  readonly id: string;
  /** Actions run at once in this process. Default 1. */
  readonly concurrency?: number;
  /** Lease length; a worker that stops heartbeating loses its actions after this. Default 30. */
  readonly leaseSeconds?: number;
  /** Retry n of a failed action waits backoff * 2^(n-1). Default 2. */
  readonly backoffSeconds?: number;
  /** Full O(n) verify of the ledger on join instead of the O(1) head check. */
  readonly verify?: boolean;
  /** Exit after running one action (or finding none). */
  readonly once?: boolean;
  /** Exit after this long with nothing to claim. Default: never. */
  readonly idleExitSeconds?: number;
  /** Checked between claims: true ends the worker (runPlan uses it in-process). */
  readonly stopWhen?: () => Promise<boolean>;
  /** Aborting stops claiming; running actions finish first. */
  readonly signal?: AbortSignal;
  /** How long to wait for an unreachable metadata database before giving up. Default 60. */
  readonly reconnectSeconds?: number;
  readonly log?: (message: string) => void;
}

export interface WorkerSummary {
  readonly id: string;
  readonly joined: {
    readonly seq: number;
    readonly hash: string;
    readonly projectionChecksum: string;
    readonly verified: 'head' | 'full';
  };
  readonly succeeded: number;
  readonly reused: number;
  readonly failed: number;
  /** Actions dropped because the lease was lost (another worker owns or finished them). */
  readonly lost: number;
}

// Polling backs off while there is nothing to do, and is quick again after work: a plan that is
// run round by round (training) queues its next round right after the last one ends, and every
// 100 ms a worker slept then was a worker idle (measured: ~0.2 s per round on two workers).
const POLL_MIN_MS = 5;
const POLL_MAX_MS = 200;

/**
 * A worker joins a workspace: it checks the ledger (the head in O(1), or the whole chain),
 * registers itself, then claims ready actions under a lease, runs them with runAction and
 * heartbeats while they run. A result and the release of its lease commit together (a
 * lease-guarded append), so a worker that lost its lease can never commit. A failure to
 * release a lease that is not a lost lease is fatal: the worker throws and its process
 * should exit, since what it holds is then unknown; the lease then expires for another.
 */
export async function runWorker(
  ctx: { ledger: LedgerStore; objects: ObjectStore; workspace?: Workspace },
  options: WorkerOptions,
): Promise<WorkerSummary> {
  const { ledger, objects } = ctx;
  const inWorkspace = ctx.workspace === undefined ? {} : { workspace: ctx.workspace };
  const log = options.log ?? (() => undefined);
  const id = options.id;
  const times: LeaseTimes = { leaseSeconds: options.leaseSeconds ?? 30, backoffSeconds: options.backoffSeconds ?? 2 };
  const reconnect = options.reconnectSeconds ?? 60;
  const reach = <T>(fn: () => Promise<T>) =>
    untilReachable(fn, reconnect, (e) => log(`metadata database unreachable (${e.message}); retrying`));

  const joined = await join(ledger, options.verify === true);
  log(
    `worker ${id} joined at entry ${joined.seq} (head ${joined.hash.slice(0, 12)}…, projection ${joined.projectionChecksum.slice(0, 12)}…, ${joined.verified === 'full' ? 'full chain verified' : 'head checked'})`,
  );
  await reach(() =>
    ledger.queue.registerWorker({
      id,
      host: hostname(),
      pid: process.pid,
      concurrency: options.concurrency ?? 1,
      leaseSeconds: times.leaseSeconds,
      joinedSeq: joined.seq,
      joinedHash: joined.hash,
    }),
  );

  const counts = { succeeded: 0, reused: 0, failed: 0, lost: 0 };
  let stopping = false;
  let lastWork = Date.now();
  let lastReset = 0;
  const beat = setInterval(
    () => void ledger.queue.workerHeartbeat(id).catch(() => undefined),
    (times.leaseSeconds * 1000) / 3,
  );
  beat.unref();
  const onAbort = () => (stopping = true);
  options.signal?.addEventListener('abort', onAbort);

  const slot = async (): Promise<void> => {
    let poll = POLL_MIN_MS;
    while (!stopping) {
      if (options.signal?.aborted) break;
      if (options.stopWhen !== undefined && (await reach(options.stopWhen))) break;
      // Any worker returns expired leases; twice per lease period is often enough.
      if (Date.now() - lastReset > (times.leaseSeconds * 1000) / 2) {
        lastReset = Date.now();
        const n = await reach(() => ledger.queue.resetExpired(times));
        if (n > 0) log(`returned ${n} expired lease(s) to the queue`);
      }
      const claimed = await reach(() => ledger.queue.claim(id, times));
      if (claimed === undefined) {
        if (options.once === true) break;
        if (options.idleExitSeconds !== undefined && Date.now() - lastWork > options.idleExitSeconds * 1000) break;
        await new Promise((r) => setTimeout(r, poll));
        poll = Math.min(POLL_MAX_MS, poll * 2);
        continue;
      }
      poll = POLL_MIN_MS;
      let outcome: keyof typeof counts;
      try {
        outcome = await execute(claimed);
      } catch (fatal) {
        stopping = true; // the other slots finish what they run and claim nothing more
        throw fatal;
      }
      counts[outcome] += 1;
      lastWork = Date.now();
      if (options.once === true) stopping = true;
    }
  };

  const execute = async (a: ClaimedAction): Promise<keyof typeof counts> => {
    const label = `${a.kind} ${a.fingerprint.slice(0, 12)}… (attempt ${a.attempts}/${a.maxAttempts})`;
    log(`running ${label}`);
    let lost = false;
    const hb = setInterval(
      () => {
        ledger.queue.heartbeat(a.fingerprint, id, times).then(
          (ok) => {
            if (!ok && !lost) {
              lost = true;
              log(`lost the lease on ${label}; its result will not be committed`);
            }
          },
          () => undefined, // unreachable for a moment: the next beat retries
        );
      },
      (times.leaseSeconds * 1000) / 3,
    );
    try {
      for (;;) {
        try {
          const result = await runQueued(a);
          log(`${result.reused ? 'reused' : 'succeeded'}: ${label}`);
          return result.reused ? 'reused' : 'succeeded';
        } catch (thrown) {
          if (thrown instanceof LeaseLostError) {
            log(`dropped ${label}: ${thrown.message}`);
            return 'lost';
          }
          // Recorded (the failure released the lease) or not? The queue row says.
          const [row] = await reach(() => ledger.queue.rows([a.fingerprint]));
          if (row === undefined || row.state !== 'leased' || row.leaseOwner !== id) {
            log(`failed: ${label}: ${toError(thrown).message.split('\n')[0]}`);
            return row?.state === 'ready' || row?.state === 'failed' ? 'failed' : 'lost';
          }
          if (isUnreachable(thrown)) {
            log(`metadata database dropped during ${label}; running it again`);
            continue;
          }
          throw new FathomError(
            'failed',
            `worker ${id} could not release its lease on ${label}: ${toError(thrown).message}`,
            {
              cause: thrown,
              hint: 'the worker stops; the lease expires and another worker takes the action',
            },
          );
        }
      }
    } finally {
      clearInterval(hb);
    }
  };

  const runQueued = async (a: ClaimedAction) => {
    const lease = { owner: id, times };
    let prepared: { kind: ReturnType<typeof registeredActionKind>; inputs: ResolvedInput[] };
    try {
      prepared = await prepare(a);
    } catch (thrown) {
      // Not runnable here (unknown kind, other code version, an input gone): that is data
      // too, recorded like any failure so the lease is released and the retry count moves.
      if (isUnreachable(thrown)) throw thrown;
      const err = toError(thrown);
      const { fingerprint, kind, params, inputs, metadataVersion } = a;
      await ledger.append(
        {
          kind,
          status: 'failed',
          fingerprint,
          params,
          inputs,
          metadataVersion,
          workerId: id,
          error: err.message,
          detail: { version: a.version },
        },
        { lease },
      );
      throw err;
    }
    return runAction(
      {
        ledger,
        objects,
        workerId: id,
        metadataVersion: a.metadataVersion,
        lease,
        log,
        stopAt: a.stopAt,
        ...inWorkspace,
      },
      prepared.kind,
      a.params,
      prepared.inputs,
    );
  };

  const prepare = async (a: ClaimedAction) => {
    const kind = registeredActionKind(a.kind);
    const planned = actionFingerprint({
      kind: a.kind,
      version: kind.version,
      params: a.params,
      inputs: a.inputs,
      metadataVersion: a.metadataVersion,
    });
    if (kind.version !== a.version || planned !== a.fingerprint) {
      throw new FathomError(
        'failed',
        `action ${a.kind} was planned with code version ${a.version}; this worker runs version ${kind.version}`,
        {
          hint: 'run workers with the same Fathom version as the planner',
        },
      );
    }
    const inputs: ResolvedInput[] = [];
    for (const fp of a.inputs) inputs.push(await resolveInput(ledger, objects, fp));
    return { kind, inputs };
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 1 }, slot));
  } finally {
    clearInterval(beat);
    options.signal?.removeEventListener('abort', onAbort);
    await ledger.queue.stopWorker(id).catch(() => undefined);
  }
  return { id, joined, ...counts };
}

/** An upstream action's output is handed over as the input's value; data fingerprints as they are. */
async function resolveInput(ledger: LedgerStore, objects: ObjectStore, fingerprint: string): Promise<ResolvedInput> {
  const rec = await ledger.getState<ActionRecord>(ACTIONS, fingerprint);
  if (rec === undefined || rec.value.status !== 'succeeded' || rec.value.output === null) return { fingerprint };
  return { fingerprint, value: await readActionOutput(objects, rec.value) };
}

/** The join check; throws an integrity error naming the broken entry. */
async function join(ledger: LedgerStore, full: boolean): Promise<WorkerSummary['joined']> {
  let problem: VerifyProblem | null;
  if (full) {
    const report = await ledger.verify();
    problem =
      report.firstProblem ??
      (report.projectionOk
        ? null
        : { seq: report.headSeq, reason: report.projectionDiff[0] ?? 'the projection differs from the log' });
  } else {
    problem = await ledger.checkHead();
  }
  if (problem !== null) {
    throw new FathomError(
      'integrity',
      `refusing to join: the ledger is broken at entry ${problem.seq}: ${problem.reason}`,
      {
        hint: 'run `fathom verify` for the full report, and restore the ledger from a backup before running workers',
        context: { seq: problem.seq },
      },
    );
  }
  const head = await ledger.head();
  return {
    seq: head.seq,
    hash: head.hash,
    projectionChecksum: head.projectionChecksum,
    verified: full ? 'full' : 'head',
  };
}
