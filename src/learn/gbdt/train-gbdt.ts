import { availableParallelism } from 'node:os';
import type { LabelledDataset } from '../dataset.js';
import { badInput, FathomError } from '../../util/fathom-error.js';
import { resolveGbdtParams, type GbdtParams } from './gbdt-params.js';
import { binColumns, binCount, binDataset, findFeatureBins, quantileSample, type FeatureBins } from './feature-bins.js';
import { makeObjective } from './objective.js';
import { growTree, type GrowBuffers, type HistogramBuilder } from './grow-tree.js';
import { leafOfBinnedRow, type GbdtTree } from './gbdt-tree.js';
import { HIST_STRIDE } from './histogram-kernel.js';
import { sampleIndices, seededRandom } from './seeded-random.js';
import { serialHistogramBuilder } from './serial-histogram-builder.js';
import { parallelHistogramBuilder } from './parallel-histogram-builder.js';
import { createGbdtModel, type GbdtModel } from './gbdt-model.js';

export interface TrainGbdtOptions {
  /** Validation data for early stopping and `onRound`'s loss. */
  valid?: LabelledDataset;
  /**
   * Threads building histograms (1 = this thread only, no workers). Default: every core for
   * data of a million cells or more, else 1. The model does not depend on it.
   */
  threads?: number;
  signal?: AbortSignal;
  onRound?: (round: number, validLoss: number | null) => void;
}

/** Cells (rows × features) from which the default uses worker threads. */
const PARALLEL_CELLS = 1_000_000;

/**
 * Train a histogram GBDT. Same data, params and seed give a bit-identical model, whatever
 * `threads` is: each feature's histogram is summed by one thread in row order.
 */
export async function trainGbdt(
  train: LabelledDataset,
  params: Partial<GbdtParams> = {},
  options: TrainGbdtOptions = {},
): Promise<GbdtModel> {
  const objectiveName = params.objective ?? defaultObjective(train);
  const p = resolveGbdtParams(params, objectiveName);
  checkTarget(train, p.objective, 'training');
  if (options.valid !== undefined) checkTarget(options.valid, p.objective, 'validation');
  const n = train.rows;
  const F = train.features.length;
  if (F === 0) throw badInput('the training data has no features', 'pass at least one feature column');
  const threads = Math.max(1, Math.floor(options.threads ?? (n * F >= PARALLEL_CELLS ? availableParallelism() : 1)));
  const classes = p.objective === 'multiclass' ? (train.task.classes?.length ?? maxLabel(train.target) + 1) : 1;
  const objective = makeObjective(p.objective, classes, p.huberDelta);
  const K = objective.outputs;

  const featureNames = train.features.map((f) => f.name);
  const sample = quantileSample(n, p.seed);
  const featureBins: FeatureBins[] = train.features.map((f) => findFeatureBins(f, p.maxBins, sample));
  const shared = threads > 1;
  const bins = binDataset(train, featureNames, featureBins, shared);
  const alloc = <T>(ctor: new (b: ArrayBufferLike) => T, bytes: number): T =>
    new ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const buf: GrowBuffers = {
    rows: n,
    features: F,
    bins,
    columns: binColumns(bins, n, F),
    order: alloc(Uint32Array, 4 * n),
    gh: alloc(Float64Array, 16 * n),
    hist: alloc(Float64Array, 8 * p.numLeaves * F * HIST_STRIDE),
    scratch: new Uint32Array(n),
    binCounts: Int32Array.from(featureBins, binCount),
    isCategorical: Uint8Array.from(featureBins, (b) => (b.kind === 'categorical' ? 1 : 0)),
    uppers: featureBins.map((b) => (b.kind === 'numeric' ? b.upper : null)),
  };
  const valid = options.valid;
  const validBins = valid === undefined ? null : binDataset(valid, featureNames, featureBins, false);

  const initScores = objective.initScores(train.target);
  const scores = new Float64Array(K * n);
  for (let k = 0; k < K; k++) scores.fill(initScores[k]!, k * n, (k + 1) * n);
  const validScores = valid === undefined ? null : new Float64Array(K * valid.rows);
  if (valid !== undefined)
    for (let k = 0; k < K; k++) validScores!.fill(initScores[k]!, k * valid.rows, (k + 1) * valid.rows);
  const grad = new Float64Array(K * n);
  const hess = new Float64Array(K * n);
  const bagRandom = seededRandom(p.seed * 2 + 1);
  const featureRandom = seededRandom(p.seed * 2 + 2);
  const bagging = p.baggingFreq > 0 && p.baggingFraction < 1;
  let bag: Uint32Array | null = null;
  const inBag = bagging ? new Uint8Array(n) : null;
  const allFeatures = Int32Array.from(featureNames, (_, f) => f);
  const perTree = Math.max(1, Math.round(F * p.featureFraction));

  const trees: GbdtTree[] = [];
  let bestLoss = Infinity;
  let bestIteration = 0;
  const builder: HistogramBuilder =
    threads > 1 ? await parallelHistogramBuilder(buf, threads) : serialHistogramBuilder(buf);
  try {
    for (let round = 0; round < p.numRounds; round++) {
      if (options.signal?.aborted)
        throw new FathomError('failed', 'GBDT training was aborted', { cause: options.signal.reason });
      if (bagging && round % p.baggingFreq === 0) {
        bag = sampleIndices(n, Math.max(1, Math.floor(n * p.baggingFraction)), bagRandom);
        inBag!.fill(0);
        for (let i = 0; i < bag.length; i++) inBag![bag[i]!] = 1;
      }
      objective.gradients(train.target, scores, grad, hess);
      for (let k = 0; k < K; k++) {
        const features = perTree < F ? Int32Array.from(sampleIndices(F, perTree, featureRandom)) : allFeatures;
        const rootRows = bag === null ? n : bag.length;
        if (bag === null) for (let i = 0; i < n; i++) buf.order[i] = i;
        else buf.order.set(bag);
        // This output's gradients, interleaved as the histogram kernel reads them (GrowBuffers.gh).
        const gh = buf.gh;
        for (let i = 0; i < n; i++) {
          gh[2 * i] = grad[k * n + i]!;
          gh[2 * i + 1] = hess[k * n + i]!;
        }
        const grown = growTree(buf, builder, p, rootRows, features);
        const tree = grown.tree;
        trees.push(tree);
        const s = scores.subarray(k * n, (k + 1) * n);
        for (let leaf = 0; leaf < tree.leafValue.length; leaf++) {
          const v = tree.leafValue[leaf]!;
          const end = grown.leafBegin[leaf]! + grown.leafRows[leaf]!;
          for (let i = grown.leafBegin[leaf]!; i < end; i++) s[buf.order[i]!]! += v;
        }
        if (inBag !== null)
          for (let i = 0; i < n; i++) if (inBag[i] === 0) s[i]! += tree.leafValue[leafOfBinnedRow(tree, bins, F, i)]!;
        if (valid !== undefined) {
          const m = valid.rows;
          for (let i = 0; i < m; i++)
            validScores![k * m + i]! += tree.leafValue[leafOfBinnedRow(tree, validBins!, F, i)]!;
        }
      }
      let loss: number | null = null;
      if (valid !== undefined) {
        loss = objective.loss(valid.target, validScores!);
        if (loss < bestLoss) {
          bestLoss = loss;
          bestIteration = round + 1;
        }
      } else bestIteration = round + 1;
      options.onRound?.(round + 1, loss);
      if (p.earlyStoppingRounds > 0 && valid !== undefined && round + 1 - bestIteration >= p.earlyStoppingRounds) break;
      // Let the event loop run so an abort (a timer, a deadline) can reach us between rounds.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    await builder.close();
  }
  if (p.earlyStoppingRounds === 0 || valid === undefined) bestIteration = trees.length / K;
  return createGbdtModel({
    task: train.task,
    objective: p.objective,
    featureNames,
    featureBins,
    initScores,
    trees: trees.slice(0, bestIteration * K),
    bestIteration,
    params: p,
  });
}

function defaultObjective(data: LabelledDataset): GbdtParams['objective'] {
  return data.task.kind;
}

function maxLabel(y: Float64Array): number {
  let m = 0;
  for (let i = 0; i < y.length; i++) m = Math.max(m, y[i]!);
  return m;
}

function checkTarget(data: LabelledDataset, objective: GbdtParams['objective'], which: string): void {
  if (data.rows < 1) throw badInput(`the ${which} data has no rows`, 'pass at least one row');
  if (data.target.length !== data.rows) {
    throw badInput(
      `target \`${data.targetName}\` has ${data.target.length} values for ${data.rows} ${which} rows`,
      'give the target one value per row',
    );
  }
  const want = objective === 'huber' ? 'regression' : objective;
  if (data.task.kind !== want) {
    throw badInput(
      `objective ${objective} needs a ${want} task but target \`${data.targetName}\` is ${data.task.kind}`,
      `use objective ${data.task.kind} or a ${want} target`,
    );
  }
  const classes = data.task.classes?.length ?? (objective === 'binary' ? 2 : Infinity);
  for (let i = 0; i < data.rows; i++) {
    const y = data.target[i]!;
    const ok =
      objective === 'regression' || objective === 'huber'
        ? Number.isFinite(y)
        : Number.isInteger(y) && y >= 0 && y < classes;
    if (!ok) {
      throw badInput(
        `${which} target \`${data.targetName}\` has value ${y} at row ${i}`,
        objective === 'regression' || objective === 'huber'
          ? 'drop rows with a missing target'
          : `use class indexes 0..${classes === Infinity ? 'k-1' : classes - 1}`,
      );
    }
  }
}
