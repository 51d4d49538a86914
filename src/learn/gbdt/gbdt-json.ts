import { z } from 'zod';
import { badInput } from '../../util/fathom-error.js';
import { DEFAULT_GBDT_PARAMS, type GbdtParams } from './gbdt-params.js';
import type { GbdtTree } from './gbdt-tree.js';
import type { FeatureBins } from './feature-bins.js';
import type { GbdtModelState } from './gbdt-model.js';

/**
 * Our GBDT file format, version 1: plain JSON, numbers as JSON numbers (JS prints doubles so
 * they parse back bit-identical). JSON has no Infinity, so an infinite threshold or bin edge
 * is written as null.
 */
export const GBDT_FORMAT = 'fathom-gbdt';
export const GBDT_FORMAT_VERSION = 1;

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
const fromNullable = (v: number | null): number => (v === null ? Infinity : v);

export function gbdtToJSON(s: GbdtModelState): unknown {
  return {
    format: GBDT_FORMAT,
    version: GBDT_FORMAT_VERSION,
    task: s.task,
    objective: s.objective,
    featureNames: s.featureNames,
    features: s.featureBins.map((b) =>
      b.kind === 'numeric'
        ? { kind: 'numeric', upper: Array.from(b.upper, finiteOrNull) }
        : { kind: 'categorical', categories: b.categories },
    ),
    initScores: s.initScores,
    bestIteration: s.bestIteration,
    params: s.params,
    trees: s.trees.map((t) => ({
      splitFeature: Array.from(t.splitFeature),
      threshold: Array.from(t.threshold, finiteOrNull),
      thresholdBin: Array.from(t.thresholdBin),
      defaultLeft: Array.from(t.defaultLeft),
      categorical: Array.from(t.categorical),
      catBitset: Array.from(t.catBitset),
      left: Array.from(t.left),
      right: Array.from(t.right),
      gain: Array.from(t.gain),
      nodeCount: Array.from(t.nodeCount),
      leafValue: Array.from(t.leafValue),
      leafCount: Array.from(t.leafCount),
    })),
  };
}

const int = z.number().int();
const treeSchema = z.object({
  splitFeature: z.array(int.nonnegative()),
  threshold: z.array(z.number().nullable()),
  thresholdBin: z.array(int.min(0).max(255)),
  defaultLeft: z.array(int.min(0).max(1)),
  categorical: z.array(int.min(0).max(1)),
  catBitset: z.array(int.min(0).max(0xffffffff)),
  left: z.array(int),
  right: z.array(int),
  gain: z.array(z.number()),
  nodeCount: z.array(z.number().nonnegative()),
  leafValue: z.array(z.number()),
  leafCount: z.array(z.number().nonnegative()),
});

const modelSchema = z.object({
  format: z.literal(GBDT_FORMAT),
  version: z.literal(GBDT_FORMAT_VERSION),
  task: z.object({ kind: z.enum(['binary', 'multiclass', 'regression']), classes: z.array(z.string()).optional() }),
  objective: z.enum(['binary', 'multiclass', 'regression', 'huber']),
  featureNames: z.array(z.string()),
  features: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('numeric'), upper: z.array(z.number().nullable()).min(1) }),
      z.object({ kind: z.literal('categorical'), categories: z.array(z.string()).max(255) }),
    ]),
  ),
  initScores: z.array(z.number()).min(1),
  bestIteration: int.nonnegative(),
  params: z.record(z.string(), z.unknown()),
  trees: z.array(treeSchema),
});

/** Validate a model saved by `toJSON` and rebuild it; a bad file names what is wrong. */
export function parseGbdtJSON(json: unknown): GbdtModelState {
  const parsed = modelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(
      `not a valid ${GBDT_FORMAT} v${GBDT_FORMAT_VERSION} model: ${issue.message} at ${issue.path.join('.') || '(top)'}`,
      'load a file written by GbdtModel.toJSON',
    );
  }
  const m = parsed.data;
  const F = m.featureNames.length;
  const bad = (what: string): never => {
    throw badInput(`not a valid ${GBDT_FORMAT} model: ${what}`, 'load a file written by GbdtModel.toJSON');
  };
  if (m.features.length !== F) bad(`${m.features.length} feature bin specs for ${F} features`);
  const trees = m.trees.map((t, ti): GbdtTree => {
    const k = t.splitFeature.length;
    const leaves = t.leafValue.length;
    const sizes = [t.threshold, t.thresholdBin, t.defaultLeft, t.categorical, t.left, t.right, t.gain, t.nodeCount].map(
      (a) => a.length,
    );
    if (sizes.some((s) => s !== k) || t.catBitset.length !== 8 * k || leaves !== k + 1 || t.leafCount.length !== leaves)
      bad(`tree ${ti} has arrays of inconsistent lengths`);
    for (let j = 0; j < k; j++) {
      if (t.splitFeature[j]! >= F) bad(`tree ${ti} node ${j} splits on feature ${t.splitFeature[j]} of ${F}`);
      for (const c of [t.left[j]!, t.right[j]!])
        if (c >= 0 ? c <= j || c >= k : ~c >= leaves) bad(`tree ${ti} node ${j} has child ${c} out of range`);
    }
    return {
      splitFeature: Int32Array.from(t.splitFeature),
      threshold: Float64Array.from(t.threshold, fromNullable),
      thresholdBin: Uint8Array.from(t.thresholdBin),
      defaultLeft: Uint8Array.from(t.defaultLeft),
      categorical: Uint8Array.from(t.categorical),
      catBitset: Uint32Array.from(t.catBitset),
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      gain: Float64Array.from(t.gain),
      nodeCount: Float64Array.from(t.nodeCount),
      leafValue: Float64Array.from(t.leafValue),
      leafCount: Float64Array.from(t.leafCount),
    };
  });
  const featureBins: FeatureBins[] = m.features.map((b) =>
    b.kind === 'numeric'
      ? { kind: 'numeric', upper: Float64Array.from(b.upper, fromNullable) }
      : { kind: 'categorical', categories: b.categories },
  );
  if (trees.length % m.initScores.length !== 0)
    bad(`${trees.length} trees do not fill rounds of ${m.initScores.length}`);
  return {
    task: m.task.classes === undefined ? { kind: m.task.kind } : { kind: m.task.kind, classes: m.task.classes },
    objective: m.objective,
    featureNames: m.featureNames,
    featureBins,
    initScores: m.initScores,
    trees,
    bestIteration: m.bestIteration,
    params: Object.freeze({ ...DEFAULT_GBDT_PARAMS, ...(m.params as Partial<GbdtParams>) }),
  };
}
