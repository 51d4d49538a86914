import type { RoundTwo, TableDrift } from '../catalog/round-two-types.js';
import type { Chart } from './chart.js';

/** Features shown in the ranking chart; the table below it lists them all. */
const MAX_RANKED = 25;

/** Class counts of a classification target as bars, or a regression target's histogram. */
export function targetBalanceChart(r: RoundTwo): Chart | null {
  const s = r.targetSummary;
  const name = `${r.target.table}.${r.target.column}`;
  if (s.classes && s.classes.length > 0) {
    return {
      kind: 'target-balance',
      label: `Class balance of ${name}`,
      template: {
        width: 320,
        height: { step: 18 },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'class', type: 'nominal', sort: null, title: null, axis: { labelLimit: 160 } },
          x: { field: 'count', type: 'quantitative', title: 'rows' },
          tooltip: [
            { field: 'class' },
            { field: 'count', type: 'quantitative' },
            { field: 'share', type: 'quantitative', format: '.1%' },
          ],
        },
      },
      values: s.classes.slice(0, 30).map((c) => ({ class: c.value, count: c.count, share: c.share })),
    };
  }
  const bins = s.distribution?.histogram;
  if (!bins || bins.length === 0) return null;
  return {
    kind: 'histogram',
    label: `Distribution of ${name}`,
    template: {
      width: 320,
      height: 120,
      mark: { type: 'bar', tooltip: true, binSpacing: 1 },
      encoding: {
        x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title: name },
        x2: { field: 'hi' },
        y: { field: 'count', type: 'quantitative', title: 'rows' },
      },
    },
    values: bins.map((b) => ({ lo: b.lo, hi: b.hi, count: b.count })),
  };
}

/** Every feature's strength (AUC for binary targets, normalised MI otherwise), suspects in red. */
export function associationRankingChart(r: RoundTwo): Chart | null {
  const ranked = r.associations.ranked.slice(0, MAX_RANKED);
  if (ranked.length === 0) return null;
  const byAuc = ranked.some((a) => a.auc !== null);
  const suspect = new Set(r.leakage.map((l) => `${l.table}.${l.column}`));
  return {
    kind: 'association-ranking',
    label: `Association of each feature with ${r.target.table}.${r.target.column}`,
    template: {
      width: 320,
      height: { step: 16 },
      mark: { type: 'bar', tooltip: true, clip: true },
      encoding: {
        y: { field: 'feature', type: 'nominal', sort: null, title: null, axis: { labelLimit: 220 } },
        // AUC bars start at 0.5 (no signal); clamped so an out-of-fold AUC just under 0.5 stays on the axis.
        x: {
          field: 'strength',
          type: 'quantitative',
          title: byAuc ? 'single-feature AUC' : 'normalised mutual information',
          scale: { domain: byAuc ? [0.5, 1] : [0, 1], clamp: true },
        },
        color: {
          field: 'status',
          type: 'nominal',
          title: null,
          scale: { domain: ['feature', 'leakage suspect'], range: ['#3b6ea5', '#c0504d'] },
        },
        tooltip: [
          { field: 'feature' },
          { field: 'strength', type: 'quantitative', format: '.3f' },
          { field: 'mi', type: 'quantitative', format: '.3f', title: 'normalised MI' },
        ],
      },
    },
    values: ranked.map((a) => ({
      feature: a.feature,
      strength: byAuc ? (a.auc ?? 0.5) : a.normalizedMi,
      mi: a.normalizedMi,
      status: suspect.has(a.feature) ? 'leakage suspect' : 'feature',
    })),
  };
}

/** PSI of each column per time window against the first (the rule-of-thumb line at 0.2). */
export function driftChart(d: TableDrift): Chart | null {
  if (d.columns.length === 0 || d.windows.length < 2) return null;
  const values = d.columns.flatMap((c) =>
    c.psi.map((psi, i) => ({ window: i + 1, from: d.windows[i]?.from ?? '', column: c.column, psi })),
  );
  return {
    kind: 'drift-lines',
    label: `Drift of ${d.table} over ${d.timeIndex}`,
    template: {
      width: 320,
      height: 140,
      layer: [
        {
          mark: { type: 'line', point: true, tooltip: true },
          encoding: {
            x: { field: 'window', type: 'ordinal', title: `window of ${d.timeIndex} (equal rows)` },
            y: { field: 'psi', type: 'quantitative', title: 'PSI vs first window' },
            color: { field: 'column', type: 'nominal', title: null },
            tooltip: [
              { field: 'column' },
              { field: 'from', title: 'window starts' },
              { field: 'psi', type: 'quantitative', format: '.3f' },
            ],
          },
        },
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#c0504d' }, encoding: { y: { datum: 0.2 } } },
      ],
    },
    values,
  };
}
