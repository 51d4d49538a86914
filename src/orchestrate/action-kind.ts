import type { ObjectStore } from '../ledger/object-store.js';
import type { StatePatch } from '../ledger/ledger-store.js';
import type { Workspace } from '../workspace/open-workspace.js';

/**
 * A kind of unit of work: profile a table, build a feature matrix, train a candidate…
 * `version` is part of every fingerprint, so bumping it when `run` changes what it computes
 * makes earlier outputs stale; leave it alone for refactors that do not change results.
 *
 * `run` returns bytes (a Uint8Array, stored as is) or a JSON-serialisable value (stored as
 * canonical JSON; `undefined` is stored as null). Params go into the ledger verbatim: pass
 * a `vault:` reference, never a secret.
 */
export interface ActionKind<P = unknown, O = unknown> {
  readonly kind: string;
  readonly version: string;
  run(ctx: ActionContext, params: P, inputs: readonly ResolvedInput[]): Promise<O>;
  /**
   * State changes the output makes (a source's tables, a table's profile…). Applied with the
   * 'succeeded' entry and again with every 'reused' one: data that went A -> B -> A reuses A's
   * output, and the projection must point at A again.
   */
  project?(value: O, params: P): StatePatch[];
  /**
   * What this action is about, stable across changes of its data and parameters (a table's
   * name, a target): the planner compares the fingerprint an action of the same kind and
   * subject last had with the one it plans now, to say that a node is stale and why.
   */
  subject?(params: P): string;
}

/** An input handed to `run`: what it is (for the fingerprint) and its value. */
export interface ResolvedInput {
  /**
   * Identifies the input's content: a source's data fingerprint, or the fingerprint of the
   * upstream action whose output this is (known before it runs, so plans can be derived).
   */
  readonly fingerprint: string;
  readonly value?: unknown;
}

export interface ActionContext {
  readonly fingerprint: string;
  readonly workerId: string;
  readonly metadataVersion: number | null;
  /** For actions that write large side outputs of their own. */
  readonly objects: ObjectStore;
  /** Progress for people; goes to stderr, never into the ledger. */
  readonly log: (message: string) => void;
  /**
   * The workspace the action runs in (config, paths, vault), when it runs in one: a worker
   * on another machine opens the same project, so a queued kind reaches its sources through
   * this, never through objects captured when it was planned.
   */
  readonly workspace?: Workspace;
  /**
   * Epoch ms when this run must stop (its queue row's time budget), or null. An action that
   * honours it throws DeadlineReached, which fails it for good at once.
   */
  readonly stopAt: number | null;
}
