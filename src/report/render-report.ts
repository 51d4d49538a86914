import type { Catalog } from '../catalog/catalog.js';
import { createChartSink } from './chart-sink.js';
import { chartLibraries, inlineScript, type ChartLibraries } from './chart-libraries.js';
import { escapeHtml, jsonForScript } from './escape-html.js';
import { featureSection } from './feature-section.js';
import { monitoringSection } from './monitoring-section.js';
import type { ModelMonitor } from '../deploy/monitor/monitor-model.js';
import {
  alertsSection,
  findingsSection,
  overviewSection,
  relationshipsSection,
  tableAnchor,
} from './overview-section.js';
import { REPORT_CLIENT } from './report-client.js';
import { REPORT_STYLE } from './report-style.js';
import { roundTwoSection } from './round-two-section.js';
import { tableSection } from './table-section.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface RenderOptions {
  /** The page title; default "Fathom report". */
  readonly title?: string;
  /** Table sections start open up to this many tables (default 12); bigger reports start collapsed. */
  readonly openTablesUpTo?: number;
  /** The chart library builds to inline (default: read from node_modules once). */
  readonly libraries?: ChartLibraries;
  /** Drift of served models (fathom monitor): a Monitoring section when any served rows. */
  readonly monitoring?: readonly ModelMonitor[];
}

export interface RenderedReport {
  readonly html: string;
  readonly charts: number;
  readonly tables: number;
}

/**
 * The exploration report as one self-contained HTML page: every script, style and datum
 * inlined, no request leaves the file. Every catalog string is escaped and PII values are
 * masked here, whatever the catalog holds.
 */
export function renderReport(catalog: Catalog, options: RenderOptions = {}): string {
  return buildReport(catalog, options).html;
}

export function buildReport(catalog: Catalog, options: RenderOptions = {}): RenderedReport {
  const libs = options.libraries ?? chartLibraries();
  const title = options.title ?? 'Fathom report';
  const charts = createChartSink();
  const open = catalog.tables.length <= (options.openTablesUpTo ?? 12);
  const parts = [
    overviewSection(catalog),
    findingsSection(catalog),
    relationshipsSection(catalog, charts),
    alertsSection(catalog),
    roundTwoSection(catalog, charts),
    featureSection(catalog, charts),
    monitoringSection(options.monitoring, charts),
    `<section id="tables"><h2>Tables</h2>${catalog.tables.map((t) => tableSection(catalog, t, charts, open)).join('\n')}</section>`,
  ];
  const toc =
    catalog.tables.length <= 40
      ? catalog.tables.map((t) => `<a href="#${tableAnchor(t.source, t.name)}">${escapeHtml(t.name)}</a>`).join('')
      : '';
  const generated = catalog.generatedAt ? `generated ${escapeHtml(catalog.generatedAt)} · ` : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Fathom">
<title>${escapeHtml(title)}</title>
<style>${REPORT_STYLE}</style>
</head><body>
<header class="top"><h1>${escapeHtml(title)}</h1><div class="meta">${generated}${plural(catalog.sources.length, 'source')} · ${plural(catalog.tables.length, 'table')} · catalog version ${catalog.version}</div></header>
<nav class="toc"><a href="#overview">Overview</a><a href="#findings">Findings</a><a href="#relationships">Relationships</a><a href="#alerts">Alerts</a>${catalog.roundTwo ? '<a href="#round-two">Round two</a>' : ''}${catalog.features?.length ? '<a href="#features">Features</a>' : ''}${options.monitoring?.some((m) => m.records > 0) ? '<a href="#monitoring">Monitoring</a>' : ''}<a href="#tables">Tables</a>${toc}<button type="button" data-details="open">expand all</button><button type="button" data-details="close">collapse all</button></nav>
<main>
${parts.join('\n')}
</main>
<script type="application/json" id="fathom-charts">${jsonForScript(charts.payload())}</script>
<script>${inlineScript(libs.vega)}</script>
<script>${inlineScript(libs.vegaLite)}</script>
<script>${inlineScript(REPORT_CLIENT)}</script>
</body></html>
`;
  return { html, charts: charts.count, tables: catalog.tables.length };
}
