import type { CatalogFeatureSet } from '../catalog/catalog.js';
import type { Chart } from './chart.js';

/** Features in the gain chart; the table below it lists every kept feature. */
export const MAX_GAIN_BARS = 20;

/** The kept features ranked by the probe's gain, best first. */
export function rankedKept(set: CatalogFeatureSet): CatalogFeatureSet['features'] {
  const order = new Map(set.features.map((f, i) => [f.name, i]));
  return set.features
    .filter((f) => f.status === 'kept')
    .sort((a, b) => (b.gain ?? 0) - (a.gain ?? 0) || order.get(a.name)! - order.get(b.name)!);
}

/** The top kept features' share of the ranking probe's split gain, as horizontal bars. */
export function featureGainChart(set: CatalogFeatureSet): Chart | null {
  const top = rankedKept(set)
    .slice(0, MAX_GAIN_BARS)
    .filter((f) => f.gain !== undefined);
  if (top.length === 0) return null;
  return {
    kind: 'feature-gain',
    label: `Gain of the top ${top.length} features for ${set.target.table}.${set.target.column}`,
    template: {
      width: 320,
      height: { step: 16 },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        // Feature names run long (MEAN(orders.total_amount WHERE …)): the tooltip has them whole.
        y: { field: 'feature', type: 'nominal', sort: null, title: null, axis: { labelLimit: 360 } },
        x: {
          field: 'gain',
          type: 'quantitative',
          title: 'share of the probe model’s split gain',
          axis: { format: '.0%' },
        },
        tooltip: [
          { field: 'feature' },
          { field: 'gain', type: 'quantitative', format: '.1%' },
          { field: 'primitive' },
          { field: 'depth', type: 'quantitative' },
        ],
      },
    },
    values: top.map((f) => ({ feature: f.name, gain: f.gain!, primitive: f.primitive, depth: f.depth })),
  };
}
