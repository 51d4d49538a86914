import type { Workspace } from '../workspace/open-workspace.js';
import type { RoundTwo } from '../catalog/round-two-types.js';
import type { RelationshipsRecord } from '../explore/explore-kinds.js';
import type { SelectionOutput } from '../features/feature-set-kind.js';
import type { TrainOutput } from '../train/ensemble-kind.js';
import type { Step } from './plan-node.js';
import type { BuiltNode } from './derive/plan-builder.js';
import { nodeOutput } from './load-state.js';

/** A line per step of what the plan's nodes came to, read from their outputs, for the run's table. */
export async function stepDetails(
  ws: Workspace,
  nodes: readonly BuiltNode[],
  ran: ReadonlySet<string>,
): Promise<Partial<Record<Step, string>>> {
  const of = (kind: string) => nodes.filter((n) => n.kind === kind);
  const out: Partial<Record<Step, string>> = {};
  const sources = of('source.connect');
  if (sources.length > 0) out.connect = sources.map((n) => n.id.replace('source.connect ', '')).join(', ');
  const profiles = of('explore.profile');
  if (profiles.length > 0) {
    const related = await nodeOutput<RelationshipsRecord>(ws, of('explore.relate')[0]);
    const profiled = profiles.filter((n) => ran.has(n.id)).length;
    out.explore = `${profiles.length} tables (${profiled} profiled, ${profiles.length - profiled} reused), ${related?.relationships.length ?? 0} relationships`;
  }
  const gate = of('gate.review')[0] ?? of('metadata.review')[0];
  if (gate?.reason) out.review = gate.reason;
  const insight = await nodeOutput<RoundTwo>(ws, of('explore.insight')[0]);
  if (insight) {
    const t = insight.target;
    const suspects = insight.leakage?.length ?? 0;
    out['round two'] =
      `insights on ${t.table}.${t.column}${suspects ? `; ${suspects} leakage suspect(s), left out of features` : ''}`;
  }
  const selection = await nodeOutput<SelectionOutput>(ws, of('features.select')[0]);
  if (selection) {
    const all = selection.selection.kept.length + new Set(selection.selection.dropped.map((d) => d.name)).size;
    out.features = `${selection.selection.kept.length} features selected of ${all} from related tables`;
  } else if (of('features.synthesize').length > 0 && of('features.matrix').length === 0) {
    out.features = 'the target has no related tables: training reads its own columns';
  }
  const trained = of('learn.train').find((n) => n.state === 'reused');
  const model = await nodeOutput<TrainOutput>(ws, trained);
  if (model) {
    const c = model.card;
    out.train = `${c.name}: ${c.metric} ${c.metrics[c.metric]?.mean.toFixed(4) ?? '-'} (${c.split.kind} split, ${c.split.folds} folds), ${c.search.trials} trials`;
  }
  for (const [step, kind] of [
    ['register', 'deploy.register'],
    ['promote', 'deploy.promote'],
  ] as const) {
    const n = of(kind)[0];
    if (n?.reason) out[step] = n.reason;
  }
  return out;
}
