import type { LabelledDataset } from '../dataset.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';

/** One train/validation split, as row indices into the dataset. */
export interface Fold {
  readonly train: Int32Array;
  readonly valid: Int32Array;
}

export type SplitKind = 'stratified' | 'kfold' | 'group' | 'time';

export interface SplitPlan {
  readonly kind: SplitKind;
  readonly folds: readonly Fold[];
}

/**
 * Stratified k-fold: rows of each class are shuffled, then dealt round-robin across the folds,
 * so every fold holds each class in (nearly) its overall share. The deal continues from fold
 * to fold across classes, so fold sizes differ by at most one.
 */
export function stratifiedKFold(classes: Float64Array, k: number, seed: number): Fold[] {
  const rng = seededRandom(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i]!;
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(i);
  }
  const assign = new Int32Array(classes.length);
  let next = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    for (const i of shuffleInPlace(byClass.get(c)!, rng)) {
      assign[i] = next;
      next = (next + 1) % k;
    }
  }
  return foldsFromAssignment(assign, k);
}

/** Plain shuffled k-fold, for regression targets. */
export function shuffledKFold(rows: number, k: number, seed: number): Fold[] {
  const order = shuffleInPlace(
    Int32Array.from({ length: rows }, (_, i) => i),
    seededRandom(seed),
  );
  const assign = new Int32Array(rows);
  for (let j = 0; j < rows; j++) assign[order[j]!] = j % k;
  return foldsFromAssignment(assign, k);
}

/**
 * Group k-fold: no group is split across folds. Groups go largest first into the fold with the
 * fewest rows so far (scikit-learn's GroupKFold), ties broken by group id so it is stable.
 */
export function groupKFold(groups: Int32Array, k: number): Fold[] {
  const sizes = new Map<number, number>();
  for (let i = 0; i < groups.length; i++) sizes.set(groups[i]!, (sizes.get(groups[i]!) ?? 0) + 1);
  if (sizes.size < k) throw new Error(`group k-fold needs at least ${k} groups, found ${sizes.size}`);
  const order = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const load = new Float64Array(k);
  const foldOf = new Map<number, number>();
  for (const [g, size] of order) {
    let best = 0;
    for (let f = 1; f < k; f++) if (load[f]! < load[best]!) best = f;
    foldOf.set(g, best);
    load[best]! += size;
  }
  const assign = new Int32Array(groups.length);
  for (let i = 0; i < groups.length; i++) assign[i] = foldOf.get(groups[i]!)!;
  return foldsFromAssignment(assign, k);
}

/**
 * Time split, forward chaining: rows sorted by time are cut into k+1 blocks; fold f trains on
 * blocks 0..f and validates on block f+1, so a model never sees the future it is scored on.
 * Rows sharing a timestamp stay in one block. The first block is never validated.
 */
export function timeSplit(time: Float64Array, k: number): Fold[] {
  const n = time.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a]! - time[b]! || a - b);
  const cuts: number[] = [0];
  for (let b = 1; b <= k; b++) {
    let at = Math.round((b * n) / (k + 1));
    while (at < n && at > 0 && time[order[at]!] === time[order[at - 1]!]) at++;
    cuts.push(Math.max(at, cuts[cuts.length - 1]!));
  }
  cuts.push(n);
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const train = order.slice(0, cuts[f + 1]!);
    const valid = order.slice(cuts[f + 1]!, cuts[f + 2]!);
    if (train.length === 0 || valid.length === 0) continue;
    folds.push({ train: Int32Array.from(train).sort(), valid: Int32Array.from(valid).sort() });
  }
  if (folds.length === 0) throw new Error('time split: too few distinct timestamps to form a fold');
  return folds;
}

function foldsFromAssignment(assign: Int32Array, k: number): Fold[] {
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const valid: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < assign.length; i++) (assign[i] === f ? valid : train).push(i);
    folds.push({ train: Int32Array.from(train), valid: Int32Array.from(valid) });
  }
  return folds;
}

/** The split a dataset calls for: time when it has a time column, then groups, then by task. */
export function planSplits(data: LabelledDataset, k: number, seed: number): SplitPlan {
  if (data.time) return { kind: 'time', folds: timeSplit(data.time, k) };
  if (data.groups) return { kind: 'group', folds: groupKFold(data.groups, k) };
  if (data.task.kind === 'regression') return { kind: 'kfold', folds: shuffledKFold(data.rows, k, seed) };
  return { kind: 'stratified', folds: stratifiedKFold(data.target, k, seed) };
}
