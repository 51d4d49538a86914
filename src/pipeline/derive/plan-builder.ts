import { hashJson } from '../../util/hash.js';
import type { PlannedAction } from '../../orchestrate/plan.js';
import { subjectKey, type ActionRecord } from '../../orchestrate/run-action.js';
import type { NodeState, PlanNode, Step } from '../plan-node.js';
import type { PipelineState } from '../pipeline-state.js';

/** What an input of a node is, for the reasons people read: data (a file, a table) or another node. */
export type InputName = { readonly data: string } | { readonly node: string };

export interface QueuedSpec {
  readonly id: string;
  readonly step: Step;
  readonly action: PlannedAction;
  /** Nodes it waits for (those whose outputs are its inputs, or feed its params). */
  readonly deps: readonly string[];
  /** One name per input of the action, in order. */
  readonly inputs: readonly InputName[];
  readonly provisional?: boolean;
  /** A recorded failure is the node's result (a trial), not an error to run again. */
  readonly failureIsResult?: boolean;
}

export interface HereSpec extends Pick<PlanNode, 'id' | 'step' | 'kind' | 'state' | 'reason' | 'deps' | 'gate'> {
  readonly provisional?: boolean;
  /** What the planning process records when it runs the node (decisions, a search, a version). */
  readonly work?: unknown;
}

export type BuiltNode = PlanNode & { readonly work?: unknown; readonly error?: { message: string; hint: string } };

/**
 * Collects the nodes of a plan, deciding each queued node's state from the ledger's records:
 * reused when its fingerprint already succeeded (and its subject points at it), stale when its
 * subject last ran on other inputs, parameters, metadata or code (the reason names which),
 * ready or blocked otherwise. It notes the records and outputs the state lacked (`wants`).
 */
export class PlanBuilder {
  readonly nodes = new Map<string, BuiltNode>();
  readonly wantRecords = new Set<string>();
  readonly wantOutputs = new Set<string>();

  constructor(readonly state: PipelineState) {}

  /** A registered kind's name and version, for planAction. */
  kind(name: string): { kind: string; version: string } {
    const k = this.state.kinds.get(name);
    if (!k) throw new Error(`action kind ${name} is not registered in this process`);
    return { kind: name, version: k.version };
  }

  /** The ledger's record of an action, or undefined (none, or not looked up yet: then wanted). */
  record(fp: string): (ActionRecord & { seq: number }) | undefined {
    if (!this.state.records.has(fp)) {
      this.wantRecords.add(fp);
      return undefined;
    }
    return this.state.records.get(fp) ?? undefined;
  }

  succeeded(fp: string): boolean {
    return this.record(fp)?.status === 'succeeded';
  }

  /** A succeeded action's output, or undefined (not succeeded, or not read yet: then wanted). */
  output<T>(fp: string): T | undefined {
    if (!this.succeeded(fp)) return undefined;
    if (!this.state.outputs.has(fp)) {
      this.wantOutputs.add(fp);
      return undefined;
    }
    return this.state.outputs.get(fp) as T;
  }

  /** What the subject of this kind and params last computed, as the subjects projection has it. */
  prior(kind: string, params: unknown) {
    const subject = this.state.kinds.get(kind)?.subject?.(params);
    return subject === undefined ? undefined : this.state.subjects.get(subjectKey(kind, subject));
  }

  /** The output the subject of this kind and params last had: what a node downstream reads provisionally. */
  priorOutput<T>(kind: string, params: unknown): T | undefined {
    const p = this.prior(kind, params);
    return p === undefined ? undefined : this.output<T>(p.fingerprint);
  }

  done(id: string): boolean {
    return this.nodes.get(id)?.state === 'reused';
  }

  get(id: string): BuiltNode | undefined {
    return this.nodes.get(id);
  }

  queued(spec: QueuedSpec): BuiltNode {
    const a = spec.action;
    const rec = this.record(a.fingerprint);
    const prior = this.prior(a.kind, a.params);
    let state: NodeState;
    let reason: string | null = null;
    if (rec?.status === 'succeeded') {
      // Data that went A -> B -> A: A's output is there, but the projections point at B's.
      if (prior === undefined || prior.fingerprint === a.fingerprint) state = 'reused';
      else {
        state = 'stale';
        reason = `its inputs are back to those of entry ${rec.seq}: that output is reused`;
      }
    } else if (
      rec?.status === 'failed' &&
      spec.failureIsResult &&
      (rec.stopped !== true || rec.seq > this.state.runFrom)
    ) {
      state = 'reused';
      reason = `${rec.stopped ? 'stopped at the deadline' : 'failed'} at entry ${rec.seq}: ${rec.error ?? ''}`;
    } else if (prior !== undefined) {
      state = 'stale';
      reason = this.whyStale(prior, a, spec);
    } else {
      const waiting = spec.deps.find((d) => !this.done(d));
      state = waiting === undefined ? 'ready' : 'blocked';
      reason = waiting === undefined ? null : `waits for ${waiting}`;
    }
    if (rec?.status === 'failed' && state !== 'reused') {
      reason = `${reason ? `${reason}; ` : ''}it failed at entry ${rec.seq}: ${rec.error ?? 'unknown error'}`;
    }
    return this.add({
      id: spec.id,
      step: spec.step,
      kind: a.kind,
      state,
      reason,
      deps: spec.deps,
      action: a,
      runs: 'queue',
      provisional: spec.provisional === true || this.anyProvisional(spec.deps),
    });
  }

  here(spec: HereSpec): BuiltNode {
    return this.add({
      id: spec.id,
      step: spec.step,
      kind: spec.kind,
      state: spec.state,
      reason: spec.reason,
      deps: spec.deps,
      action: null,
      runs: 'here',
      provisional: spec.provisional === true || this.anyProvisional(spec.deps),
      ...(spec.gate ? { gate: spec.gate } : {}),
      ...(spec.work === undefined ? {} : { work: spec.work }),
    });
  }

  /** A node whose action cannot be derived yet: stale if its subject ran before (why: its upstream), else blocked. */
  pending(spec: { id: string; step: Step; kind: string; deps: readonly string[]; priorOf?: unknown }): BuiltNode {
    const upstream = spec.deps.map((d) => this.nodes.get(d)).find((n) => n !== undefined && n.state !== 'reused');
    const ranBefore = spec.priorOf !== undefined && this.prior(spec.kind, spec.priorOf) !== undefined;
    const because = this.staleCause(spec.deps);
    return this.add({
      id: spec.id,
      step: spec.step,
      kind: spec.kind,
      state:
        ranBefore && because !== null
          ? 'stale'
          : upstream?.state === 'waiting-for-gate'
            ? 'waiting-for-gate'
            : 'blocked',
      reason: ranBefore && because !== null ? because : `waits for ${upstream?.id ?? spec.deps[0] ?? 'its inputs'}`,
      deps: spec.deps,
      action: null,
      runs: 'queue',
      provisional: false,
    });
  }

  /**
   * Why something downstream of these nodes must run again: the reason of the nearest stale
   * node upstream (a node that waits for a stale one will run again for the same reason).
   */
  staleCause(deps: readonly string[]): string | null {
    const seen = new Set<string>();
    const queue = [...deps];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const n = this.nodes.get(id);
      if (!n) continue;
      if (n.state === 'stale' && n.reason) return n.reason;
      if (n.state !== 'reused') queue.push(...n.deps);
    }
    return null;
  }

  /** Mark a node that cannot be done as planned, with the error the run stops on. */
  fail(id: string, message: string, hint: string): void {
    const n = this.nodes.get(id);
    if (n) this.nodes.set(id, { ...n, state: 'blocked', reason: message, error: { message, hint } });
  }

  /** Provisional is inherited: what is planned from a provisional node's output is provisional too. */
  private anyProvisional(deps: readonly string[]): boolean {
    return deps.some((d) => this.nodes.get(d)?.provisional === true);
  }

  private add(node: BuiltNode): BuiltNode {
    this.nodes.set(node.id, node);
    return node;
  }

  /** Why a node's subject, last computed at entry `prior.seq`, must be computed again. */
  private whyStale(prior: NonNullable<ReturnType<PlanBuilder['prior']>>, a: PlannedAction, spec: QueuedSpec): string {
    const since = `since entry ${prior.seq}`;
    if (prior.version !== a.version) return `${a.kind} changed (code v${prior.version} -> v${a.version})`;
    const reasons: string[] = [];
    if (prior.inputs.length !== a.inputs.length) reasons.push(`its inputs changed ${since}`);
    else {
      a.inputs.forEach((fp, i) => {
        if (prior.inputs[i] === fp) return;
        const name = spec.inputs[i];
        if (name === undefined) reasons.push(`input ${i + 1} changed ${since}`);
        else if ('data' in name) reasons.push(`${name.data} changed ${since}`);
        else reasons.push(this.nodes.get(name.node)?.reason ?? `${name.node} changed`);
      });
    }
    if (prior.metadataVersion !== a.metadataVersion) {
      reasons.push(
        `the reviewed metadata changed ${since} (v${prior.metadataVersion ?? 0} -> v${a.metadataVersion ?? 0})`,
      );
    }
    if (prior.params !== hashJson(a.params ?? null)) reasons.push(`its parameters changed ${since}`);
    return [...new Set(reasons)].slice(0, 3).join('; ') || `it changed ${since}`;
  }
}
