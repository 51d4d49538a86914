import type { CutoffSpec } from '../catalog/feature-types.js';

/** The groups dropped features are shown in, most serious first (a leak before a weak feature). */
const REASON_GROUPS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^leakage suspect/, 'leakage suspect'],
  [/^near-perfect predictor/, 'near-perfect predictor of the target (a leak)'],
  [/^missing in |^all values missing/, 'mostly missing'],
  [/^constant/, 'constant'],
  [/^identifier/, 'identifier'],
  [/^near-duplicate of /, 'near-duplicate of another feature'],
  [/^ranked below the top /, 'ranked below the top features by gain'],
  [/^no gain in the ranking probe/, 'no gain in the ranking probe'],
];

/**
 * The reasons selection gives, gathered into a few groups: most carry a figure or another
 * feature's name ("near-duplicate of X (r = 0.9970)"), which would make every group one feature.
 * An unknown reason is its own group.
 */
export function reasonGroup(reason: string): string {
  for (const [re, group] of REASON_GROUPS) if (re.test(reason)) return group;
  return reason === '' ? 'not selected' : reason;
}

/** A group's place in REASON_GROUPS (unknown reasons last). */
export function reasonRank(group: string): number {
  const i = REASON_GROUPS.findIndex(([, g]) => g === group);
  return i < 0 ? REASON_GROUPS.length : i;
}

/** The cutoff in a few plain words, for terminal output. */
export function cutoffWords(c: CutoffSpec, table: string): string {
  switch (c.kind) {
    case 'fixed':
      return `fixed at ${c.at}`;
    case 'none':
      return 'none (every row used)';
    case 'table':
      return `per row of ${c.table}.${c.column}`;
    default:
      return `${table}.${c.column}`;
  }
}
