import type { GbdtModel, GbdtTree } from '../gbdt/index.js';
import { MISSING_BIN } from '../gbdt/feature-bins.js';
import { encodeOnnxModel, ONNX_FLOAT, ONNX_INT64, type OnnxAttribute, type OnnxNode } from './onnx-proto.js';

/**
 * A GBDT as an ONNX model: ai.onnx.ml TreeEnsembleClassifier (binary, multiclass) or
 * TreeEnsembleRegressor (regression, huber).
 *
 * Input `input`: float32 `[N, features]` in `model.featureNames` order. Missing numeric
 * values are NaN (each split's learned direction is `nodes_missing_value_tracks_true`). A
 * categorical column holds the index of the category in the model's category list for that
 * feature (`model.state.featureBins[f].categories`), NaN when missing or unseen.
 *
 * Outputs: classifiers give `label` (int64 class index `[N]`) and `probabilities` (`[N,
 * classes]`); regressors give `variable` (`[N, 1]`).
 *
 * ONNX runtimes compare in float32; our thresholds are float32 wherever one lies between the
 * neighbouring training values, so float32 inputs split exactly as in our model.
 * TreeEnsemble v3 has no set-membership split, so a categorical split becomes a chain of
 * BRANCH_EQ nodes over the smaller side of the split, each repeating the subtree it leads to.
 */
export function exportGbdtOnnx(model: GbdtModel): Uint8Array {
  const K = model.outputs;
  const F = model.featureNames.length;
  const classifier = model.objective === 'binary' || model.objective === 'multiclass';
  const a = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    modes: [] as string[],
    values: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
    missingTrue: [] as number[],
    wTree: [] as number[],
    wNode: [] as number[],
    wTarget: [] as number[],
    wValue: [] as number[],
  };
  const binCounts = model.state.featureBins.map((b) => (b.kind === 'numeric' ? b.upper.length : b.categories.length));
  // Binary: every leaf weighs class id 0 and onnxruntime's binary case turns the one score
  // into [1 - p, p] (checked by the parity test; class id 1 there gives p = 0.5 everywhere).
  model.trees.forEach((tree, t) => emitTree(tree, t, model.objective === 'binary' ? 0 : t % K, binCounts, a));
  const ensemble: OnnxAttribute[] = [
    { name: 'nodes_treeids', type: 'INTS', ints: a.treeIds },
    { name: 'nodes_nodeids', type: 'INTS', ints: a.nodeIds },
    { name: 'nodes_featureids', type: 'INTS', ints: a.featureIds },
    { name: 'nodes_modes', type: 'STRINGS', strings: a.modes },
    { name: 'nodes_values', type: 'FLOATS', floats: a.values },
    { name: 'nodes_truenodeids', type: 'INTS', ints: a.trueIds },
    { name: 'nodes_falsenodeids', type: 'INTS', ints: a.falseIds },
    { name: 'nodes_missing_value_tracks_true', type: 'INTS', ints: a.missingTrue },
  ];
  const base = [...model.state.initScores];
  let node: OnnxNode;
  if (classifier) {
    const classes = model.objective === 'binary' ? 2 : K;
    node = {
      opType: 'TreeEnsembleClassifier',
      domain: 'ai.onnx.ml',
      name: 'gbdt',
      inputs: ['input'],
      outputs: ['label', 'probabilities'],
      attributes: [
        ...ensemble,
        { name: 'class_treeids', type: 'INTS', ints: a.wTree },
        { name: 'class_nodeids', type: 'INTS', ints: a.wNode },
        { name: 'class_ids', type: 'INTS', ints: a.wTarget },
        { name: 'class_weights', type: 'FLOATS', floats: a.wValue },
        { name: 'classlabels_int64s', type: 'INTS', ints: Array.from({ length: classes }, (_, i) => i) },
        { name: 'post_transform', type: 'STRING', s: model.objective === 'binary' ? 'LOGISTIC' : 'SOFTMAX' },
        { name: 'base_values', type: 'FLOATS', floats: base },
      ],
    };
  } else {
    node = {
      opType: 'TreeEnsembleRegressor',
      domain: 'ai.onnx.ml',
      name: 'gbdt',
      inputs: ['input'],
      outputs: ['variable'],
      attributes: [
        ...ensemble,
        { name: 'target_treeids', type: 'INTS', ints: a.wTree },
        { name: 'target_nodeids', type: 'INTS', ints: a.wNode },
        { name: 'target_ids', type: 'INTS', ints: a.wTarget.map(() => 0) },
        { name: 'target_weights', type: 'FLOATS', floats: a.wValue },
        { name: 'n_targets', type: 'INT', i: 1 },
        { name: 'aggregate_function', type: 'STRING', s: 'SUM' },
        { name: 'post_transform', type: 'STRING', s: 'NONE' },
        { name: 'base_values', type: 'FLOATS', floats: base },
      ],
    };
  }
  const outputs = classifier
    ? [
        { name: 'label', elemType: ONNX_INT64, shape: ['N'] },
        { name: 'probabilities', elemType: ONNX_FLOAT, shape: ['N', model.objective === 'binary' ? 2 : K] },
      ]
    : [{ name: 'variable', elemType: ONNX_FLOAT, shape: ['N', 1] }];
  return encodeOnnxModel({
    name: 'fathom_gbdt',
    doc: `Fathom GBDT (${model.objective}, ${model.trees.length} trees). Input columns: ${model.featureNames.join(', ')}.`,
    nodes: [node],
    inputs: [{ name: 'input', elemType: ONNX_FLOAT, shape: ['N', F] }],
    outputs,
    metadata: {
      feature_names: JSON.stringify(model.featureNames),
      categories: JSON.stringify(model.state.featureBins.map((b) => (b.kind === 'categorical' ? b.categories : null))),
      classes: JSON.stringify(model.task.classes ?? null),
    },
  });
}

interface Arrays {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
  wTree: number[];
  wNode: number[];
  wTarget: number[];
  wValue: number[];
}

function emitTree(tree: GbdtTree, treeId: number, target: number, binCounts: readonly number[], a: Arrays): void {
  let nextId = 0;
  const push = (feature: number, mode: string, value: number, missingTrue: number): number => {
    const id = nextId++;
    a.treeIds.push(treeId);
    a.nodeIds.push(id);
    a.featureIds.push(feature);
    a.modes.push(mode);
    a.values.push(value);
    a.trueIds.push(0);
    a.falseIds.push(0);
    a.missingTrue.push(missingTrue);
    return a.nodeIds.length - 1;
  };
  const link = (at: number, t: number, f: number): void => {
    a.trueIds[at] = a.nodeIds[t]!;
    a.falseIds[at] = a.nodeIds[f]!;
  };
  // Returns the index (into the arrays) of the ONNX node emitted for `ref`.
  const emit = (ref: number): number => {
    if (ref < 0 || tree.splitFeature.length === 0) {
      const at = push(0, 'LEAF', 0, 0);
      a.wTree.push(treeId);
      a.wNode.push(a.nodeIds[at]!);
      a.wTarget.push(target);
      a.wValue.push(tree.leafValue[ref < 0 ? ~ref : 0]!);
      return at;
    }
    const feature = tree.splitFeature[ref]!;
    if (tree.categorical[ref] !== 1) {
      const at = push(feature, 'BRANCH_LEQ', tree.threshold[ref]!, tree.defaultLeft[ref]!);
      link(at, emit(tree.left[ref]!), emit(tree.right[ref]!));
      return at;
    }
    const inLeft = (b: number): boolean => ((tree.catBitset[8 * ref + (b >>> 5)]! >>> (b & 31)) & 1) === 1;
    const left: number[] = [];
    const right: number[] = [];
    for (let b = 0; b < binCounts[feature]!; b++) (inLeft(b) ? left : right).push(b);
    const missingLeft = inLeft(MISSING_BIN);
    const chainLeft = left.length <= right.length;
    const chain = chainLeft ? left : right;
    const trueRef = chainLeft ? tree.left[ref]! : tree.right[ref]!;
    const falseRef = chainLeft ? tree.right[ref]! : tree.left[ref]!;
    const missingTrue = missingLeft === chainLeft ? 1 : 0;
    if (chain.length === 0) {
      // No category on the chained side: only missing values can go there.
      const at = push(feature, 'BRANCH_LT', -1, missingTrue);
      link(at, emit(trueRef), emit(falseRef));
      return at;
    }
    const nodes = chain.map((b) => push(feature, 'BRANCH_EQ', b, missingTrue));
    nodes.forEach((at, i) => link(at, emit(trueRef), i + 1 < nodes.length ? nodes[i + 1]! : emit(falseRef)));
    return nodes[0]!;
  };
  emit(0);
}
