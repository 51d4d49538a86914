import { planAction, type PlannedAction } from '../../orchestrate/plan.js';
import type { FeatureSelection } from '../../catalog/feature-types.js';
import type { ReviewedFacts } from '../../catalog/reviewed-facts.js';
import { DEFAULT_FEATURE_OPTIONS, featureOptionsOf, type FeatureOptions } from '../../features/feature-options.js';
import { featureSetKey, type FeatureSetRecord } from '../../features/feature-set-record.js';
import type { Synthesis } from '../../features/synthesize-feature-set.js';
import type { SynthesisParams } from '../../features/synthesis-kind.js';
import type { FeatureSetParams, SelectionOutput } from '../../features/feature-set-kind.js';
import type { Explored } from './derive-explore.js';
import { tableLabel } from './derive-explore.js';
import type { PlanBuilder } from './plan-builder.js';

export interface Featured {
  /** No relationship touches the target's table: training reads the table alone. */
  readonly related: boolean;
  readonly select: { readonly id: string } | null;
  /** The feature set as it will be (from the selection's output, exact or provisional), once known. */
  readonly record: FeatureSetRecord | null;
  readonly matrix: PlannedAction | null;
  /** The feature set comes from outputs that nodes upstream may still change. */
  readonly provisional: boolean;
}

export const SYNTHESIZE = 'features.synthesize';
export const MATRIX = 'features.matrix';
export const SELECT = 'features.select';

/**
 * The confirmed target's feature set: `features.synthesize` (the features, each row's cutoff,
 * the matrix query) from the profiles of its source and round two, then `features.matrix`
 * planned from its output, then `features.select` from the matrix's. Options are the ones
 * asked for, else those of the last feature set built for the target.
 */
export function deriveFeatures(
  b: PlanBuilder,
  asked: FeatureOptions | null,
  facts: ReviewedFacts,
  explored: Explored,
  upstream: { readonly insight: { id: string; action: PlannedAction } | null; readonly gate: string | null },
  /** The feature set is the goal (fathom features): built even when no relationship touches the target. */
  explicit: boolean,
): Featured {
  const target = facts.target!;
  const s = b.state;
  const last = s.latest.featureSets.get(featureSetKey(target));
  const options = asked ?? (last ? featureOptionsOf(last) : DEFAULT_FEATURE_OPTIONS);
  const mine = [...explored.profiles.entries()].filter(([, p]) => p.source === target.source);
  const params: SynthesisParams = { target, options, tables: mine.map(([key]) => key) };
  const inputs = [...mine.map(([, p]) => p.action), ...(upstream.insight ? [upstream.insight.action] : [])];
  const action = planAction(b.kind(SYNTHESIZE), params, inputs, { metadataVersion: facts.metadataVersion });
  const deps = [
    ...inputs.map((_, i) => (i < mine.length ? mine[i]![1].id : upstream.insight!.id)),
    ...(upstream.gate ? [upstream.gate] : []),
  ];
  const provisional = explored.provisional || (upstream.insight !== null && !b.done(upstream.insight.id));
  b.queued({
    id: SYNTHESIZE,
    step: 'features',
    action,
    deps,
    inputs: deps.filter((d) => d !== upstream.gate).map((node) => ({ node })),
    provisional,
  });
  const synthDone = b.done(SYNTHESIZE);
  const synthesis = synthDone ? b.output<Synthesis>(action.fingerprint) : b.priorOutput<Synthesis>(SYNTHESIZE, params);
  if (synthesis === undefined) {
    b.pending({ id: MATRIX, step: 'features', kind: MATRIX, deps: [SYNTHESIZE] });
    b.pending({ id: SELECT, step: 'features', kind: SELECT, deps: [MATRIX] });
    return { related: true, select: { id: SELECT }, record: null, matrix: null, provisional: true };
  }
  if (synthesis.matrix === null || (!synthesis.related && !explicit)) {
    return { related: false, select: null, record: null, matrix: null, provisional: !synthDone };
  }

  const source = s.sources.find((x) => x.name === target.source)!;
  const tableOf = (name: string) => source.tables.find((t) => t.name === name)!;
  const matrix = planAction(
    b.kind(MATRIX),
    synthesis.matrix,
    synthesis.matrix.tables.map((t) => tableOf(t).fingerprint),
  );
  b.queued({
    id: MATRIX,
    step: 'features',
    action: matrix,
    deps: [SYNTHESIZE],
    inputs: synthesis.matrix.tables.map((t) => ({ data: tableLabel(tableOf(t)) })),
    provisional: provisional || !synthDone,
  });
  const object = b.done(MATRIX) ? b.record(matrix.fingerprint)?.output : undefined;
  if (!object) {
    b.pending({ id: SELECT, step: 'features', kind: SELECT, deps: [MATRIX], priorOf: { target } });
    const prior = b.priorOutput<SelectionOutput>(SELECT, { target });
    return {
      related: true,
      select: { id: SELECT },
      record: recordOf(synthesis.draft, matrix, '', prior),
      matrix,
      provisional: true,
    };
  }
  const selectParams: FeatureSetParams = {
    ...synthesis.draft,
    matrix: { ...synthesis.draft.matrix, fingerprint: matrix.fingerprint, object },
  };
  const select = planAction(b.kind(SELECT), selectParams, [matrix], { metadataVersion: facts.metadataVersion });
  b.queued({ id: SELECT, step: 'features', action: select, deps: [MATRIX], inputs: [{ node: MATRIX }] });
  const selected = b.done(SELECT)
    ? b.output<SelectionOutput>(select.fingerprint)
    : b.priorOutput<SelectionOutput>(SELECT, selectParams);
  return {
    related: true,
    select: { id: SELECT },
    record: recordOf(synthesis.draft, matrix, object, selected),
    matrix,
    provisional: provisional || !b.done(SELECT),
  };
}

function recordOf(
  draft: NonNullable<Synthesis['draft']>,
  matrix: PlannedAction,
  object: string,
  selected: SelectionOutput | undefined,
): FeatureSetRecord | null {
  if (selected === undefined) return null;
  const selection: FeatureSelection = selected.selection;
  return {
    ...draft,
    matrix: { ...draft.matrix, fingerprint: matrix.fingerprint, object, bytes: selected.bytes },
    selection,
  };
}
