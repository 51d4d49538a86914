import { MISSING_BIN } from './feature-bins.js';

/**
 * One regression tree. Internal nodes are 0..nodes-1; a child reference `c < 0` is the leaf
 * `~c`. A tree with one leaf has no nodes. Leaf values already include the learning rate.
 */
export interface GbdtTree {
  readonly splitFeature: Int32Array;
  /** Numeric split: values <= threshold go left (bins <= thresholdBin). */
  readonly threshold: Float64Array;
  readonly thresholdBin: Uint8Array;
  /** Where missing values go (for categorical splits: whether the missing bin is in the set). */
  readonly defaultLeft: Uint8Array;
  /** 1 for a categorical split, whose left set is `catBitset[8 * node .. 8 * node + 8)`. */
  readonly categorical: Uint8Array;
  readonly catBitset: Uint32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly gain: Float64Array;
  /** Training rows that reached the node (the cover TreeSHAP weighs paths by). */
  readonly nodeCount: Float64Array;
  readonly leafValue: Float64Array;
  readonly leafCount: Float64Array;
}

export function nodeCountOf(tree: GbdtTree): number {
  return tree.splitFeature.length;
}

/** Whether a row with bin `bin` on the node's feature goes left. */
export function goesLeftOnBin(tree: GbdtTree, node: number, bin: number): boolean {
  if (tree.categorical[node] === 1) return ((tree.catBitset[8 * node + (bin >>> 5)]! >>> (bin & 31)) & 1) === 1;
  if (bin === MISSING_BIN) return tree.defaultLeft[node] === 1;
  return bin <= tree.thresholdBin[node]!;
}

/** The leaf a row of the row-major bin matrix (`features` bins per row) falls in. */
export function leafOfBinnedRow(tree: GbdtTree, bins: Uint8Array, features: number, row: number): number {
  if (tree.splitFeature.length === 0) return 0;
  let node = 0;
  while (node >= 0) {
    const bin = bins[row * features + tree.splitFeature[node]!]!;
    node = goesLeftOnBin(tree, node, bin) ? tree.left[node]! : tree.right[node]!;
  }
  return ~node;
}
