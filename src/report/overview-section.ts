import type { Alert, Catalog } from '../catalog/catalog.js';
import type { ChartSink } from './chart-sink.js';
import { anchorId, escapeHtml } from './escape-html.js';
import { cols, confidence, evidenceList, grid, status, text } from './html-parts.js';
import { relationshipDiagram } from './relationship-diagram.js';
import { fmt, pct } from './safe-stats.js';

export interface LocatedAlert extends Alert {
  readonly source: string;
  readonly table: string;
  readonly column: string | null;
}

/** Every alert of the catalog, table-level first within each table. */
export function allAlerts(catalog: Catalog): LocatedAlert[] {
  return catalog.tables.flatMap((t) => [
    ...(t.alerts ?? []).map((a) => ({ ...a, source: t.source, table: t.name, column: null })),
    ...t.columns.flatMap((c) => c.alerts.map((a) => ({ ...a, source: t.source, table: t.name, column: c.name }))),
  ]);
}

export const tableAnchor = (source: string, name: string): string => `t-${anchorId(source, name)}`;
export const columnAnchor = (source: string, table: string, column: string): string =>
  `c-${anchorId(source, table, column)}`;

export function overviewSection(catalog: Catalog): string {
  const rows = catalog.tables.reduce((s, t) => s + t.rows, 0);
  const columns = catalog.tables.reduce((s, t) => s + t.columns.length, 0);
  const piiColumns = catalog.tables.reduce((s, t) => s + t.columns.filter((c) => c.pii !== null).length, 0);
  const card = (n: string, label: string) =>
    `<div class="card"><div class="n">${n}</div><div class="l">${label}</div></div>`;
  const sources = catalog.sources.map(
    (s) =>
      `<li><b>${escapeHtml(s.name)}</b> <span class="badge">${escapeHtml(s.kind)}</span> <code>${escapeHtml(s.location)}</code></li>`,
  );
  const targets = catalog.targets.map(
    (t) =>
      `<li><code>${escapeHtml(t.table)}.${escapeHtml(t.column)}</code> <span class="badge target">${t.kind}</span> ${confidence(t.confidence)} ${status(t.status)}${evidenceList(t.evidence)}</li>`,
  );
  return `<section id="overview"><h2>Overview</h2>
<div class="cards">${card(fmt(catalog.sources.length), 'sources')}${card(fmt(catalog.tables.length), 'tables')}${card(fmt(rows), 'rows')}${card(fmt(columns), 'columns')}${card(fmt(catalog.relationships.length), 'relationships')}${card(fmt(allAlerts(catalog).length), 'alerts')}${card(fmt(piiColumns), 'PII columns (masked)')}${card(fmt(catalog.targets.length), 'target candidates')}</div>
<h3>Sources</h3><ul>${sources.join('') || '<li class="muted">none</li>'}</ul>
<h3>Target candidates</h3>${targets.length ? `<ol>${targets.join('')}</ol>` : '<p class="muted">No target candidate found.</p>'}
</section>`;
}

export function findingsSection(catalog: Catalog): string {
  const findings = catalog.findings ?? [];
  const body = findings.length
    ? `<ul class="findings">${findings.map((f) => `<li>${text(f)}</li>`).join('')}</ul>`
    : '<p class="muted">No findings.</p>';
  return `<section id="findings"><h2>Findings</h2>${body}</section>`;
}

export function relationshipsSection(catalog: Catalog, charts: ChartSink): string {
  const link = (table: string, source: string | undefined) => {
    const t = catalog.tables.find((x) => x.name === table && (source === undefined || x.source === source));
    return t ? `<a href="#${tableAnchor(t.source, t.name)}">${escapeHtml(table)}</a>` : escapeHtml(table);
  };
  const rows = catalog.relationships.map((r) => [
    `${link(r.from.table, r.fromSource)}.${cols(r.from.columns)}`,
    `${link(r.to.table, r.toSource)}.${cols(r.to.columns)}`,
    pct(r.coverage) + (r.orphanRows ? ` <span class="badge alert">${fmt(r.orphanRows)} orphan rows</span>` : ''),
    confidence(r.confidence),
    status(r.status),
    evidenceList(r.evidence),
  ]);
  const diagram = charts.add(
    relationshipDiagram(catalog),
    'Tables (boxes) and relationships (arrows from the child columns to the parent key; orange: some child values have no parent).',
  );
  const table = rows.length
    ? grid(['from (child)', 'to (parent)', 'coverage', 'confidence', 'status', 'evidence'], rows)
    : '<p class="muted">No relationship found between the tables.</p>';
  return `<section id="relationships"><h2>Relationships</h2><div class="diagram">${diagram}</div>${table}</section>`;
}

export function alertsSection(catalog: Catalog): string {
  const alerts = allAlerts(catalog);
  const rows = alerts.map((a) => [
    `<a href="#${tableAnchor(a.source, a.table)}">${escapeHtml(a.table)}</a>`,
    a.column === null
      ? '<span class="muted">(table)</span>'
      : `<a href="#${columnAnchor(a.source, a.table, a.column)}"><code>${escapeHtml(a.column)}</code></a>`,
    `<span class="badge alert">${escapeHtml(a.kind.replace(/_/g, ' '))}</span>`,
    text(a.detail),
  ]);
  return `<section id="alerts"><h2>Alerts (${fmt(alerts.length)})</h2>${rows.length ? grid(['table', 'column', 'kind', 'detail'], rows) : '<p class="muted">No alerts.</p>'}</section>`;
}
