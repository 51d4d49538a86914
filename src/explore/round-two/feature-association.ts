import type { TargetFact } from '../../catalog/catalog.js';
import type { FeatureAssociation } from '../../catalog/round-two-types.js';
import {
  binNumeric,
  codeCategories,
  entropy,
  mutualInformation,
  outOfFoldRateAuc,
  rankAuc,
} from './association-metrics.js';

/** The target of the sample rows, coded once for every feature. */
export interface CodedTarget {
  readonly kind: TargetFact['kind'];
  /** Class codes (binary: 1 positive, 0 not), or bins of a regression target. */
  readonly codes: Int32Array;
  /** Binary targets only. */
  readonly positive: Uint8Array | null;
  readonly entropy: number;
}

export type FeatureValues =
  | { readonly type: 'numeric'; readonly values: Float64Array }
  | { readonly type: 'categorical'; readonly values: ReadonlyArray<string | null> };

export interface FeatureName {
  readonly feature: string;
  readonly table: string;
  readonly column: string | null;
  readonly kind: FeatureAssociation['kind'];
}

/** Code a target for association: the positive class of a binary target is 1. */
export function codeTarget(
  kind: TargetFact['kind'],
  values: ReadonlyArray<string | null>,
  positive: string | null,
): CodedTarget {
  let codes: Int32Array;
  let pos: Uint8Array | null = null;
  if (kind === 'binary') {
    pos = Uint8Array.from(values, (v) => (v === positive ? 1 : 0));
    codes = Int32Array.from(pos);
  } else if (kind === 'multiclass') {
    codes = codeCategories(values, 1).codes;
  } else {
    codes = binNumeric(Float64Array.from(values, (v) => (v === null ? NaN : Number(v))));
  }
  return { kind, codes, positive: pos, entropy: entropy(codes) };
}

/** Mutual information and (binary targets) single-feature AUC of one feature on the sample. */
export function associate(name: FeatureName, x: FeatureValues, target: CodedTarget): FeatureAssociation {
  const n = target.codes.length;
  let missing = 0;
  let codes: Int32Array;
  let aucValue: number | null = null;
  let direction: FeatureAssociation['direction'] = null;
  if (x.type === 'numeric') {
    for (const v of x.values) if (Number.isNaN(v)) missing++;
    codes = binNumeric(x.values);
    if (target.positive) {
      const r = rankAuc(x.values, target.positive);
      if (r) ({ auc: aucValue, direction } = r);
    }
  } else {
    for (const v of x.values) if (v === null) missing++;
    codes = codeCategories(x.values).codes;
    if (target.positive) aucValue = outOfFoldRateAuc(codes, target.positive);
  }
  const mi = mutualInformation(codes, target.codes);
  return {
    ...name,
    mutualInformation: round(mi),
    normalizedMi: target.entropy > 0 ? round(Math.min(1, mi / target.entropy)) : 0,
    auc: aucValue === null ? null : round(aucValue),
    direction,
    missingShare: n === 0 ? 0 : round(missing / n),
  };
}

/** Strongest first: AUC for binary targets (MI breaks ties), normalised MI otherwise. */
export function rankAssociations(list: readonly FeatureAssociation[]): FeatureAssociation[] {
  const strength = (a: FeatureAssociation) => a.auc ?? 0;
  return [...list].sort(
    (a, b) => strength(b) - strength(a) || b.normalizedMi - a.normalizedMi || (a.feature < b.feature ? -1 : 1),
  );
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
