import type { GbdtTree } from './gbdt-tree.js';
import type { GbdtModelState } from './gbdt-model.js';
import { badInput } from '../../util/fathom-error.js';

/**
 * Per-row explanations of the raw score. With F features and K outputs (classes for
 * multiclass, else 1), `contributions[(row * K + k) * F + f]` is feature f's SHAP value for
 * output k, and `bias[row * K + k]` the expected raw score; their sum is the raw score.
 */
export interface GbdtExplanation {
  readonly features: readonly string[];
  readonly outputs: number;
  readonly rows: number;
  /** The dataset row of each explained row (all rows, or the one asked for). */
  readonly rowIndex: readonly number[];
  readonly contributions: Float64Array;
  readonly bias: Float64Array;
}

/** Whether a raw value (categoricals as bin numbers) goes left at a node. */
export function goesLeftOnValue(tree: GbdtTree, node: number, v: number): boolean {
  if (tree.categorical[node] === 1) return ((tree.catBitset[8 * node + (v >>> 5)]! >>> (v & 31)) & 1) === 1;
  return v <= tree.threshold[node]! || (v !== v && tree.defaultLeft[node] === 1);
}

export function coverOf(tree: GbdtTree, child: number): number {
  return child < 0 ? tree.leafCount[~child]! : tree.nodeCount[child]!;
}

/** Mean leaf value weighted by training rows: the tree's expected output. */
export function treeExpectedValue(tree: GbdtTree): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < tree.leafValue.length; i++) {
    sum += tree.leafValue[i]! * tree.leafCount[i]!;
    count += tree.leafCount[i]!;
  }
  return count > 0 ? sum / count : 0;
}

export function explainTrees(
  state: GbdtModelState,
  columns: readonly Float64Array[],
  rows: number,
  row?: number,
): GbdtExplanation {
  if (row !== undefined && !(Number.isInteger(row) && row >= 0 && row < rows)) {
    throw badInput(`cannot explain row ${row}: the data has rows 0..${rows - 1}`, 'pass a row index inside the data');
  }
  const rowIndex = row === undefined ? Array.from({ length: rows }, (_, i) => i) : [row];
  const F = state.featureNames.length;
  const K = state.initScores.length;
  const contributions = new Float64Array(rowIndex.length * K * F);
  const bias = new Float64Array(rowIndex.length * K);
  const expected = state.initScores.slice();
  state.trees.forEach((t, ti) => (expected[ti % K]! += treeExpectedValue(t)));
  const values = new Float64Array(F);
  const shaps = state.trees.map((t) => new TreeShap(t));
  rowIndex.forEach((r, ri) => {
    for (let f = 0; f < F; f++) values[f] = columns[f]![r]!;
    for (let k = 0; k < K; k++) bias[ri * K + k] = expected[k]!;
    state.trees.forEach((_, ti) => {
      const k = ti % K;
      shaps[ti]!.explain(values, contributions.subarray((ri * K + k) * F, (ri * K + k + 1) * F));
    });
  });
  return { features: state.featureNames, outputs: K, rows: rowIndex.length, rowIndex, contributions, bias };
}

/**
 * Lundberg et al.'s exact path-dependent TreeSHAP (Algorithm 2 of "Consistent Individualized
 * Feature Attribution for Tree Ensembles"), following LightGBM's implementation: polynomial
 * in depth instead of exponential in features. The unique path is kept in flat arrays, each
 * recursion level owning a slice after its parent's.
 */
class TreeShap {
  private readonly feature: Int32Array;
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly weight: Float64Array;
  private values!: Float64Array;
  private phi!: Float64Array;

  constructor(private readonly tree: GbdtTree) {
    const d = treeDepth(tree) + 2;
    const size = (d * (d + 1)) / 2 + d;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  explain(values: Float64Array, phi: Float64Array): void {
    if (this.tree.splitFeature.length === 0) return;
    this.values = values;
    this.phi = phi;
    this.recurse(0, 0, 0, 0, 1, 1, -1);
  }

  private recurse(
    node: number,
    parentStart: number,
    start: number,
    depth: number,
    zeroFraction: number,
    oneFraction: number,
    featureIndex: number,
  ): void {
    const { feature, zero, one, weight, tree } = this;
    if (start !== parentStart) {
      feature.copyWithin(start, parentStart, parentStart + depth);
      zero.copyWithin(start, parentStart, parentStart + depth);
      one.copyWithin(start, parentStart, parentStart + depth);
      weight.copyWithin(start, parentStart, parentStart + depth);
    }
    this.extend(start, depth, zeroFraction, oneFraction, featureIndex);
    if (node < 0) {
      const value = tree.leafValue[~node]!;
      for (let i = 1; i <= depth; i++) {
        const w = this.unwoundSum(start, depth, i);
        this.phi[feature[start + i]!]! += w * (one[start + i]! - zero[start + i]!) * value;
      }
      return;
    }
    const split = tree.splitFeature[node]!;
    const left = tree.left[node]!;
    const right = tree.right[node]!;
    const hot = goesLeftOnValue(tree, node, this.values[split]!) ? left : right;
    const cold = hot === left ? right : left;
    const cover = tree.nodeCount[node]!;
    const hotZero = coverOf(tree, hot) / cover;
    const coldZero = coverOf(tree, cold) / cover;
    let incomingZero = 1;
    let incomingOne = 1;
    let d = depth;
    let pathIndex = 0;
    for (; pathIndex <= d; pathIndex++) if (feature[start + pathIndex] === split) break;
    if (pathIndex !== d + 1) {
      incomingZero = zero[start + pathIndex]!;
      incomingOne = one[start + pathIndex]!;
      this.unwind(start, d, pathIndex);
      d -= 1;
    }
    const next = start + depth + 1;
    this.recurse(hot, start, next, d + 1, hotZero * incomingZero, incomingOne, split);
    this.recurse(cold, start, next, d + 1, coldZero * incomingZero, 0, split);
  }

  private extend(s: number, depth: number, zeroFraction: number, oneFraction: number, featureIndex: number): void {
    const { feature, zero, one, weight } = this;
    feature[s + depth] = featureIndex;
    zero[s + depth] = zeroFraction;
    one[s + depth] = oneFraction;
    weight[s + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      weight[s + i + 1]! += (oneFraction * weight[s + i]! * (i + 1)) / (depth + 1);
      weight[s + i] = (zeroFraction * weight[s + i]! * (depth - i)) / (depth + 1);
    }
  }

  private unwind(s: number, depth: number, pathIndex: number): void {
    const { feature, zero, one, weight } = this;
    const oneFraction = one[s + pathIndex]!;
    const zeroFraction = zero[s + pathIndex]!;
    let nextOne = weight[s + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = weight[s + i]!;
        weight[s + i] = (nextOne * (depth + 1)) / ((i + 1) * oneFraction);
        nextOne = tmp - (weight[s + i]! * zeroFraction * (depth - i)) / (depth + 1);
      } else {
        weight[s + i] = (weight[s + i]! * (depth + 1)) / (zeroFraction * (depth - i));
      }
    }
    for (let i = pathIndex; i < depth; i++) {
      feature[s + i] = feature[s + i + 1]!;
      zero[s + i] = zero[s + i + 1]!;
      one[s + i] = one[s + i + 1]!;
    }
  }

  private unwoundSum(s: number, depth: number, pathIndex: number): number {
    const { zero, one, weight } = this;
    const oneFraction = one[s + pathIndex]!;
    const zeroFraction = zero[s + pathIndex]!;
    let nextOne = weight[s + depth]!;
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = (nextOne * (depth + 1)) / ((i + 1) * oneFraction);
        total += tmp;
        nextOne = weight[s + i]! - tmp * zeroFraction * ((depth - i) / (depth + 1));
      } else {
        total += weight[s + i]! / zeroFraction / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }
}

function treeDepth(tree: GbdtTree): number {
  const depthOf = (c: number): number => (c < 0 ? 0 : 1 + Math.max(depthOf(tree.left[c]!), depthOf(tree.right[c]!)));
  return tree.splitFeature.length === 0 ? 0 : depthOf(0);
}
