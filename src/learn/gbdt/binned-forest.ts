import type { GbdtTree } from './gbdt-tree.js';
import { MISSING_BIN } from './feature-bins.js';

/**
 * A forest laid out for prediction on small bins (see predict-binned.ts). Only features some
 * split reads are kept (`used[u]` is the model feature read as input u). A numeric input's bin
 * is the count of the forest's own thresholds on it below the value (`edges[u]`, sorted,
 * distinct), so `value <= threshold` is exactly `bin <= index of threshold`: the same answer
 * as comparing raw values, bit for bit. NaN is MISSING_BIN. A categorical input's bin is its
 * category bin as the raw columns carry it.
 *
 * Nodes: every tree's nodes and leaves, with a node's two children side by side (`kid[n]` is
 * the child taken when the row goes right, `kid[n] + 1` when it goes left). `goLeft` holds 256
 * bits per node, one per bin, so a numeric split with its missing direction and a categorical
 * split read the same way, with no branch. A leaf is a node whose children are itself and
 * whose bits are all 0, so walking a tree for exactly `depth[t]` steps lands every row on
 * its leaf, whatever its own depth: data-dependent loop exits cost more than the extra steps.
 *
 * `next` folds the child choice into one table: for slot s (numbered from the tree's first
 * slot, root[t]) and bin x, `next[256 * s + x]` is the next slot in the high byte and the
 * input that slot reads in the low byte. One load per step instead of the bit test and the
 * child load (1M rows x 100 trees: 1.96 -> 1.17 CPU s), and the input comes with it instead of
 * from a third dependent load (whole predict, one thread: 2.0 -> 1.6 CPU s). It costs 512 bytes a slot and needs at
 * most 256 slots a tree and 256 inputs, so it is left out (null) otherwise; those forests walk
 * `goLeft`/`kid`.
 */
export interface BinnedForest {
  readonly outputs: number;
  readonly used: Int32Array;
  readonly isCategorical: Uint8Array;
  readonly edges: readonly Float64Array[];
  readonly root: Int32Array;
  readonly depth: Int32Array;
  readonly input: Int32Array;
  readonly kid: Int32Array;
  readonly goLeft: Int32Array;
  readonly leafValue: Float64Array;
  readonly next: Uint16Array | null;
}

/** Most slots for which the `next` table is built (32 MB). */
export const NEXT_TABLE_SLOTS = 1 << 16;

/** Deepest tree walked a fixed number of steps; deeper ones stop at their leaf instead. */
export const FIXED_DEPTH_LIMIT = 24;

/**
 * The binned layout of `trees`, or null when the trees cannot be answered exactly from bins
 * (a feature split both as numeric and categorical, or more distinct thresholds on one
 * feature than a byte can count) — predict on raw values then.
 */
export function binForest(
  trees: readonly GbdtTree[],
  outputs: number,
  features: number,
  maxTableSlots = NEXT_TABLE_SLOTS,
): BinnedForest | null {
  const kind = new Int8Array(features).fill(-1);
  const thresholds: Set<number>[] = Array.from({ length: features }, () => new Set<number>());
  let slots = 0;
  for (const t of trees) {
    const k = t.splitFeature.length;
    slots += 2 * k + 1;
    for (let j = 0; j < k; j++) {
      const f = t.splitFeature[j]!;
      const c = t.categorical[j]!;
      if (kind[f] !== -1 && kind[f] !== c) return null;
      kind[f] = c;
      if (c === 0) thresholds[f]!.add(t.threshold[j]!);
    }
  }
  const inputOf = new Int32Array(features).fill(-1);
  const used: number[] = [];
  for (let f = 0; f < features; f++) if (kind[f] !== -1) inputOf[f] = used.push(f) - 1;
  // NaN thresholds never send a value left, and Sets would keep a NaN apart from every number.
  const edges = used.map((f) => Float64Array.from([...thresholds[f]!].filter((v) => v === v)).sort());
  // Bins count edges below a value: 0..edges.length, all below MISSING_BIN.
  if (edges.some((e) => e.length >= MISSING_BIN)) return null;
  const forest: BinnedForest = {
    outputs,
    used: Int32Array.from(used),
    isCategorical: Uint8Array.from(used, (f) => kind[f]!),
    edges,
    root: new Int32Array(trees.length),
    depth: new Int32Array(trees.length),
    input: new Int32Array(slots),
    kid: new Int32Array(slots),
    goLeft: new Int32Array(8 * slots),
    leafValue: new Float64Array(slots),
    next: null,
  };
  let next = 0;
  trees.forEach((t, ti) => {
    const root = next++;
    forest.root[ti] = root;
    forest.depth[ti] = place(forest, t, inputOf, t.splitFeature.length === 0 ? -1 : 0, root, () => {
      const k = next;
      next += 2;
      return k;
    });
  });
  const fits = slots <= maxTableSlots && used.length <= 256 && trees.every((t) => 2 * t.splitFeature.length + 1 <= 256);
  return fits ? { ...forest, next: nextTable(forest) } : forest;
}

function nextTable(forest: BinnedForest): Uint16Array {
  const { root, kid, goLeft, input } = forest;
  const S = kid.length;
  const table = new Uint16Array(256 * S);
  for (let t = 0; t < root.length; t++) {
    const first = root[t]!;
    const end = t + 1 < root.length ? root[t + 1]! : S;
    for (let s = first; s < end; s++) {
      for (let x = 0; x < 256; x++) {
        const to = kid[s]! + ((goLeft[8 * s + (x >>> 5)]! >>> (x & 31)) & 1);
        table[256 * s + x] = ((to - first) << 8) | input[to]!;
      }
    }
  }
  return table;
}

/** Writes tree node `c` (a leaf when c < 0) at slot `at`; returns the subtree's depth. */
function place(
  forest: BinnedForest,
  t: GbdtTree,
  inputOf: Int32Array,
  c: number,
  at: number,
  pair: () => number,
): number {
  const { input, kid, goLeft, leafValue } = forest;
  if (c < 0) {
    input[at] = 0;
    kid[at] = at;
    leafValue[at] = t.leafValue[~c]!;
    return 0;
  }
  const u = inputOf[t.splitFeature[c]!]!;
  input[at] = u;
  const bits = goLeft.subarray(8 * at, 8 * at + 8);
  if (t.categorical[c] === 1) bits.set(t.catBitset.subarray(8 * c, 8 * c + 8));
  else {
    const e = forest.edges[u]!;
    const thr = t.threshold[c]!;
    // Bins 0..last hold values <= thr (bin b means edges[b-1] < v <= edges[b]).
    let last = -1;
    while (last + 1 < e.length && e[last + 1]! <= thr) last++;
    for (let b = 0; b <= last; b++) bits[b >>> 5]! |= 1 << (b & 31);
    if (t.defaultLeft[c] === 1) bits[MISSING_BIN >>> 5]! |= 1 << (MISSING_BIN & 31);
  }
  const k = pair();
  kid[at] = k;
  const right = place(forest, t, inputOf, t.right[c]!, k, pair);
  const left = place(forest, t, inputOf, t.left[c]!, k + 1, pair);
  return 1 + Math.max(left, right);
}
