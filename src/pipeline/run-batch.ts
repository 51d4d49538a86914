import type { Workspace } from '../workspace/open-workspace.js';
import { makePlan, type PlannedAction } from '../orchestrate/plan.js';
import { executePlan, type PlanRunner } from '../orchestrate/run-plan.js';
import { ACTIONS, recordedError, type ActionRecord } from '../orchestrate/run-action.js';
import type { TrialOutput, TrialParams } from '../train/trial-kind.js';
import type { BuiltNode } from './derive/plan-builder.js';
import { nodeOutput } from './load-state.js';

/** Nodes to queue now: ready or stale, derived exactly, each waiting only for done nodes or others queued with it. */
export function runnable(nodes: readonly BuiltNode[]): BuiltNode[] {
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

export async function runBatch(
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

const summarize = (ids: readonly string[]): string => {
  const byKind = new Map<string, number>();
  for (const id of ids) byKind.set(id.split(' ')[0]!, (byKind.get(id.split(' ')[0]!) ?? 0) + 1);
  return [...byKind].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ');
};
