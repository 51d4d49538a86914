import { canonicalJson, hashJson } from '../util/hash.js';
import { FathomError, toError, type ErrorKind } from '../util/fathom-error.js';
import type { AppendOptions, EntryInput, LedgerStore, StatePatch } from '../ledger/ledger-store.js';
import type { ObjectStore } from '../ledger/object-store.js';
import { LeaseLostError, type LeaseGuard } from '../ledger/work-queue.js';
import type { ActionKind, ResolvedInput } from './action-kind.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { actionFingerprint } from './fingerprint.js';
import { DeadlineReached } from './deadline.js';

export interface RunContext {
  readonly ledger: LedgerStore;
  readonly objects: ObjectStore;
  readonly workerId: string;
  readonly metadataVersion?: number | null;
  readonly log?: (message: string) => void;
  /**
   * Set by a worker running a queued action: every entry is appended under this lease, and
   * the 'succeeded', 'reused' or 'failed' entry releases it in the same transaction. A lost
   * lease ends the run with LeaseLostError and nothing recorded (another worker owns it).
   */
  readonly lease?: LeaseGuard;
  /** Handed to the action as ActionContext.workspace. */
  readonly workspace?: Workspace;
  /** Handed to the action as ActionContext.stopAt: when its run must stop (a time budget). */
  readonly stopAt?: number | null;
}

export interface RunResult<O> {
  readonly fingerprint: string;
  /** Content address of the output in the object store. */
  readonly output: string;
  /** The output as stored: JSON outputs come back parsed, so fresh and reused runs agree. */
  readonly value: O;
  readonly reused: boolean;
  /** The ledger entry that recorded this run ('succeeded' or 'reused'). */
  readonly seq: number;
}

/** The `actions` projection: one row per fingerprint, the latest outcome. */
export const ACTIONS = 'actions';

export interface ActionRecord {
  readonly kind: string;
  readonly version: string;
  readonly status: 'started' | 'succeeded' | 'failed';
  readonly output: string | null;
  readonly encoding: 'json' | 'bytes' | null;
  readonly error: string | null;
  readonly workerId: string;
  /** A failure at the time budget's deadline (DeadlineReached), not of the action itself. */
  readonly stopped?: boolean;
  /** A failure the action named (a FathomError): its kind and fix, so the planner can say them. */
  readonly errorKind?: ErrorKind;
  readonly hint?: string;
}

/** A failed action's error as it was thrown, kind and fix included, for whoever waited for it. */
export function recordedError(rec: ActionRecord | undefined, what: string): FathomError {
  const kind = rec?.errorKind ?? 'failed';
  return new FathomError(kind, rec?.error ?? `${what} did not finish`, {
    hint: rec?.hint ?? 'see the failure in fathom log --status failed',
  });
}

/**
 * The `subjects` projection: per kind and subject (ActionKind.subject), the action that last
 * succeeded or was reused, with what it was computed from. The planner reads it to tell a node
 * that never ran from one that is stale, and why.
 */
export const SUBJECTS = 'subjects';

export interface SubjectRecord {
  readonly kind: string;
  readonly version: string;
  readonly fingerprint: string;
  readonly inputs: readonly string[];
  readonly metadataVersion: number | null;
  /** Canonical JSON of the params, hashed: a changed parameter is a reason too. */
  readonly params: string;
}

export const subjectKey = (kind: string, subject: string): string => `${kind} ${subject}`;

/**
 * Run an action unless its output already exists. Every outcome is a ledger entry:
 * 'reused' (naming the entry that produced the output), or 'started' followed by
 * 'succeeded' or 'failed'. A failure is recorded and then rethrown; the next call retries.
 */
export async function runAction<P, O>(
  ctx: RunContext,
  kind: ActionKind<P, O>,
  params: P,
  inputs: readonly ResolvedInput[] = [],
): Promise<RunResult<O>> {
  const log = ctx.log ?? (() => undefined);
  const metadataVersion = ctx.metadataVersion ?? null;
  const inputFingerprints = inputs.map((i) => i.fingerprint);
  const fingerprint = actionFingerprint({
    kind: kind.kind,
    version: kind.version,
    params,
    inputs: inputFingerprints,
    metadataVersion,
  });
  const base = {
    kind: kind.kind,
    fingerprint,
    params,
    inputs: inputFingerprints,
    workerId: ctx.workerId,
    metadataVersion,
  };
  const record = (status: ActionRecord['status'], rest: Partial<ActionRecord> = {}): StatePatch => ({
    collection: ACTIONS,
    key: fingerprint,
    value: {
      kind: kind.kind,
      version: kind.version,
      status,
      output: null,
      encoding: null,
      error: null,
      workerId: ctx.workerId,
      ...rest,
    },
  });

  const guarded = ctx.lease === undefined ? {} : { lease: ctx.lease };
  const subject = subjectPatches(kind, params, fingerprint, inputFingerprints, metadataVersion);
  const prior = await ctx.ledger.getState<ActionRecord>(ACTIONS, fingerprint);
  if (prior?.value.status === 'succeeded' && prior.value.output !== null) {
    const value = await readOutput<O>(ctx.objects, prior.value, log);
    if (value !== MISSING) {
      const entry = await ctx.ledger.append(
        {
          ...base,
          status: 'reused',
          output: prior.value.output,
          detail: { version: kind.version, reusedSeq: prior.seq, message: `reused output of entry ${prior.seq}` },
          patches: [...subject, ...(kind.project?.(value, params) ?? [])],
        },
        guarded,
      );
      log(`${kind.kind}: reused output of entry ${prior.seq}`);
      return { fingerprint, output: prior.value.output, value, reused: true, seq: entry.seq };
    }
  }

  const started = await ctx.ledger.append(
    { ...base, status: 'started', detail: { version: kind.version }, patches: [record('started')] },
    guarded,
  );
  log(`${kind.kind}: running (entry ${started.seq})`);
  const t0 = performance.now();
  // Everything up to and including the 'succeeded' append is inside the try: a throwing
  // project hook or a patch the ledger rejects must end as 'failed', not stay 'started'.
  try {
    const actionCtx = {
      fingerprint,
      workerId: ctx.workerId,
      metadataVersion,
      objects: ctx.objects,
      log,
      stopAt: ctx.stopAt ?? null,
      ...(ctx.workspace === undefined ? {} : { workspace: ctx.workspace }),
    };
    const out = await kind.run(actionCtx, params, inputs);
    const stored = await storeOutput(ctx.objects, out);
    const done = await ctx.ledger.append(
      {
        ...base,
        status: 'succeeded',
        output: stored.hash,
        detail: {
          version: kind.version,
          startedSeq: started.seq,
          encoding: stored.encoding,
          ms: Math.round(performance.now() - t0),
        },
        patches: [
          record('succeeded', { output: stored.hash, encoding: stored.encoding }),
          ...subject,
          ...(kind.project?.(stored.value, params) ?? []),
        ],
      },
      guarded,
    );
    return { fingerprint, output: stored.hash, value: stored.value, reused: false, seq: done.seq };
  } catch (thrown) {
    if (thrown instanceof LeaseLostError) throw thrown;
    const err = toError(thrown);
    // Out of time is no fault of the action, and no retry gives it more; nor does one mend bad
    // input: both fail for good at once. The kind and fix of a named failure are kept.
    const stopped = thrown instanceof DeadlineReached;
    const named = err instanceof FathomError ? { errorKind: err.kind, ...(err.hint ? { hint: err.hint } : {}) } : {};
    const final = stopped || (err instanceof FathomError && (err.kind === 'bad_input' || err.kind === 'usage'));
    const options = final && ctx.lease !== undefined ? { lease: { ...ctx.lease, final: true } } : guarded;
    const facts = { ...(stopped ? { stopped } : {}), ...named };
    await appendOrDie(ctx.ledger, err, options, {
      ...base,
      status: 'failed',
      error: err.message,
      detail: { version: kind.version, startedSeq: started.seq, ...facts },
      patches: [record('failed', { error: err.message, ...facts })],
    });
    throw err;
  }
}

function subjectPatches<P>(
  kind: ActionKind<P, unknown>,
  params: P,
  fingerprint: string,
  inputs: readonly string[],
  metadataVersion: number | null,
): StatePatch[] {
  const subject = kind.subject?.(params);
  if (subject === undefined) return [];
  const value: SubjectRecord = {
    kind: kind.kind,
    version: kind.version,
    fingerprint,
    inputs,
    metadataVersion,
    params: hashJson(params ?? null),
  };
  return [{ collection: SUBJECTS, key: subjectKey(kind.kind, subject), value }];
}

const MISSING = Symbol('missing');

/** A succeeded action's output as stored: parsed JSON, or bytes. */
export async function readActionOutput(objects: ObjectStore, rec: ActionRecord): Promise<unknown> {
  const hash = rec.output;
  if (hash === null) throw new FathomError('not_found', `action ${rec.kind} has no output`);
  return rec.encoding === 'bytes' ? objects.get(hash) : objects.getJson(hash);
}

// A missing or corrupt output is not an error for the caller: content addressing means
// running the action again restores it (and put() repairs a corrupt copy).
async function readOutput<O>(
  objects: ObjectStore,
  rec: ActionRecord,
  log: (m: string) => void,
): Promise<O | typeof MISSING> {
  const hash = rec.output as string;
  try {
    return (rec.encoding === 'bytes' ? await objects.get(hash) : await objects.getJson(hash)) as O;
  } catch (err) {
    if (!(err instanceof FathomError) || (err.kind !== 'integrity' && err.kind !== 'not_found')) throw err;
    log(`${rec.kind}: ${err.message}; running again`);
    return MISSING;
  }
}

async function storeOutput<O>(
  objects: ObjectStore,
  out: O,
): Promise<{ hash: string; value: O; encoding: 'json' | 'bytes' }> {
  if (out instanceof Uint8Array) return { hash: await objects.put(out), value: out, encoding: 'bytes' };
  const text = canonicalJson(out ?? null);
  return { hash: await objects.put(text), value: JSON.parse(text) as O, encoding: 'json' };
}

// An unrecorded failure would leave the action looking 'started' forever: crash loudly.
async function appendOrDie(
  ledger: LedgerStore,
  actionError: Error,
  options: AppendOptions,
  entry: EntryInput,
): Promise<void> {
  try {
    await ledger.append(entry, options);
  } catch (thrown) {
    if (thrown instanceof LeaseLostError) throw thrown;
    throw new FathomError(
      'failed',
      `${entry.kind} failed (${actionError.message}) and the ledger could not record it: ${toError(thrown).message}`,
      {
        cause: thrown,
        context: { actionError },
      },
    );
  }
}
