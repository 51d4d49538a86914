import type { Workspace } from '../workspace/open-workspace.js';
import { ACTIONS, type ActionRecord } from '../orchestrate/run-action.js';
import { listModelVersions, versionKey } from '../deploy/model-registry.js';
import type { TrainOutput } from '../train/ensemble-kind.js';
import { STEPS, type PlanNode } from './plan-node.js';
import type { BuiltNode } from './derive/plan-builder.js';
import { stepDetails } from './step-details.js';
import type { NodeRun, RunOptions, RunOutcome, StepReport } from './run-pipeline.js';

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

/** The run as the ledger keeps it: a `pipeline.run` entry with what each node did. */
export async function recordRun(
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
