/** What a chart shows; the client renders every kind the same way (Vega-Lite, SVG). */
export type ChartKind =
  | 'histogram'
  | 'top-values'
  | 'association-heatmap'
  | 'missing-patterns'
  | 'relationship-diagram'
  | 'target-balance'
  | 'association-ranking'
  | 'drift-lines'
  | 'feature-gain'
  | 'psi-bars';

/** A Vega-Lite spec without its data (many charts share one), as plain JSON. */
export type ChartTemplate = Readonly<Record<string, unknown>>;

export interface Chart {
  readonly kind: ChartKind;
  /** Accessible label of the chart container. */
  readonly label: string;
  readonly template: ChartTemplate;
  readonly values: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

/** The complete Vega-Lite spec of a chart: its template with the data inlined. */
export function chartSpec(chart: Chart): Record<string, unknown> {
  return { ...chart.template, data: { values: chart.values } };
}

/** Shared look of every chart (kept out of the templates so they stay small). */
export const CHART_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 10, labelColor: '#444', titleColor: '#444', gridColor: '#eee' },
  legend: { labelFontSize: 10, titleFontSize: 10 },
  bar: { color: '#3b6ea5' },
  rect: { color: '#3b6ea5' },
} as const;
