import type { CutoffSpec } from '../catalog/feature-types.js';
import type { ColumnRef } from '../catalog/reviewed-facts.js';
import type { EntityGraph } from './entity-graph.js';
import { featureName } from './feature-name.js';
import type { FeatureNode, Scope } from './feature-tree.js';
import { synthesize } from './synthesize.js';

/**
 * The synthesized features with their names, first of each name kept. Building a set and
 * compiling a scoring plan both come here, so a recorded set's names find the same trees.
 */
export function namedFeatures(
  graph: EntityGraph,
  target: ColumnRef,
  timeColumn: string | null,
  cutoff: CutoffSpec,
  depth: number,
  windowDays: number | null,
): { root: Scope; named: Array<{ name: string; node: FeatureNode }> } {
  const hasCutoff = cutoff.kind !== 'none';
  const cutoffColumn = cutoff.kind === 'column' || cutoff.kind === 'time-index' ? cutoff.column : null;
  const synthesis = synthesize(graph, target.table, {
    depth,
    cutoff: hasCutoff,
    exclude: new Set([target.column]),
    timeColumn,
    cutoffColumn,
  });
  const filter = { cutoff: hasCutoff, windowDays };
  const seen = new Set<string>();
  const named = synthesis.features
    .map((node) => ({ name: featureName(node, filter), node }))
    .filter((f) => (seen.has(f.name) ? false : (seen.add(f.name), true)));
  return { root: synthesis.root, named };
}
