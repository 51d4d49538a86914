import { badInput } from '../util/fathom-error.js';
import type { CutoffAsked } from './resolve-cutoff.js';
import type { CutoffSpec } from '../catalog/feature-types.js';

/** How a feature set is built: synthesis depth, the training window, the cutoff asked for, selection. */
export interface FeatureOptions extends CutoffAsked {
  readonly depth: number;
  readonly windowDays: number | null;
  readonly maxFeatures: number;
  readonly seed: number;
}

export const DEFAULT_FEATURE_OPTIONS = { depth: 2, windowDays: null, maxFeatures: 60, seed: 42 } as const;

/** The options' values, checked; a bad one is named with its flag. */
export function checkOptions(options: FeatureOptions): void {
  if (!Number.isInteger(options.depth) || options.depth < 1 || options.depth > 4)
    throw badInput(
      `--depth must be 1, 2, 3 or 4, got ${options.depth}`,
      'Depth 2 (the default) aggregates children and their children.',
    );
  if (options.windowDays !== null && !(options.windowDays > 0))
    throw badInput(`--window must be a positive number of days, got ${options.windowDays}`, 'For example --window 90.');
  if (!Number.isInteger(options.maxFeatures) || options.maxFeatures < 1)
    throw badInput(
      `--max-features must be a positive integer, got ${options.maxFeatures}`,
      'For example --max-features 60.',
    );
}

/**
 * The options a recorded feature set was built with (the last `fathom features` for its
 * target), so training uses the matrix the person looked at; a record of an older version may
 * lack the selection options: defaults then. A cutoff Fathom chose is not carried over.
 */
export function featureOptionsOf(last: {
  readonly depth: number;
  readonly windowDays: number | null;
  readonly maxFeatures?: number;
  readonly seed?: number;
  readonly cutoffAsked: boolean;
  readonly cutoff: CutoffSpec;
}): FeatureOptions {
  const asked = (): CutoffAsked => {
    switch (last.cutoff.kind) {
      case 'fixed':
        return { at: last.cutoff.at };
      case 'column':
      case 'time-index':
        return { column: last.cutoff.column };
      case 'none':
        return { none: true };
      case 'table':
        return { table: `${last.cutoff.table}.${last.cutoff.column}` };
    }
  };
  return {
    ...DEFAULT_FEATURE_OPTIONS,
    depth: last.depth,
    windowDays: last.windowDays,
    maxFeatures: last.maxFeatures ?? DEFAULT_FEATURE_OPTIONS.maxFeatures,
    seed: last.seed ?? DEFAULT_FEATURE_OPTIONS.seed,
    ...(last.cutoffAsked ? asked() : {}),
  };
}
