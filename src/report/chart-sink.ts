import { CHART_CONFIG, type Chart, type ChartKind, type ChartTemplate } from './chart.js';
import { escapeHtml } from './escape-html.js';

/** What the page's script reads: shared templates, and per chart its template index and data. */
export interface ChartPayload {
  readonly config: typeof CHART_CONFIG;
  readonly templates: readonly ChartTemplate[];
  readonly charts: ReadonlyArray<{ readonly t: number; readonly k: ChartKind; readonly v: ColumnarRows }>;
}

/** Rows as one list of field names plus arrays of values: the names are not repeated per row. */
export interface ColumnarRows {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly unknown[]>;
}

export function toColumnar(values: Chart['values']): ColumnarRows {
  const columns = [...new Set(values.flatMap((v) => Object.keys(v)))];
  return { columns, rows: values.map((v) => columns.map((c) => v[c] ?? null)) };
}

export function fromColumnar(v: ColumnarRows): Array<Record<string, unknown>> {
  return v.rows.map((r) => Object.fromEntries(v.columns.map((c, i) => [c, r[i]])));
}

/**
 * Collects the charts of a report and hands out their placeholders. Identical templates are
 * stored once: 5000 histograms share two templates, which keeps a 100-table report small.
 */
export function createChartSink() {
  const templates: ChartTemplate[] = [];
  const templateIndex = new Map<string, number>();
  const charts: Array<ChartPayload['charts'][number]> = [];
  return {
    /** The placeholder element for a chart, or '' when there is no chart. */
    add(chart: Chart | null, caption?: string): string {
      if (!chart) return '';
      const key = JSON.stringify(chart.template);
      let t = templateIndex.get(key);
      if (t === undefined) {
        t = templates.push(chart.template) - 1;
        templateIndex.set(key, t);
      }
      const id = charts.push({ t, k: chart.kind, v: toColumnar(chart.values) }) - 1;
      const label = escapeHtml(chart.label);
      const cap = caption ? `<figcaption>${caption}</figcaption>` : '';
      return `<figure class="chart-box"><div class="chart chart-${chart.kind}" data-chart="${id}" role="img" aria-label="${label}"></div>${cap}</figure>`;
    },
    get count(): number {
      return charts.length;
    },
    payload(): ChartPayload {
      return { config: CHART_CONFIG, templates, charts };
    },
  };
}

export type ChartSink = ReturnType<typeof createChartSink>;
