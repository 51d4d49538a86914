import type { Catalog, CatalogColumn, CatalogTable, KeyFact } from '../catalog/catalog.js';
import type { ChartSink } from './chart-sink.js';
import { histogramChart, topValuesChart } from './column-charts.js';
import { escapeHtml } from './escape-html.js';
import { cols, confidence, evidenceList, grid, status, text } from './html-parts.js';
import { columnAnchor, tableAnchor } from './overview-section.js';
import { displayStats, fmt, pct } from './safe-stats.js';
import { associationChart, missingPatternChart } from './table-charts.js';

/** One table: its facts, table-level charts, then a card per column. */
export function tableSection(catalog: Catalog, table: CatalogTable, charts: ChartSink, open: boolean): string {
  const id = tableAnchor(table.source, table.name);
  const alerts = table.alerts ?? [];
  const columnAlerts = table.columns.reduce((s, c) => s + c.alerts.length, 0);
  const summary = `<h3>${escapeHtml(table.name)}</h3><span class="muted">${escapeHtml(table.source)} · ${fmt(table.rows)} rows · ${fmt(table.columns.length)} columns${alerts.length + columnAlerts ? ` · ${fmt(alerts.length + columnAlerts)} alerts` : ''}</span>`;
  const heat = associationChart(table);
  const missing = missingPatternChart(table);
  const tableCharts = [
    charts.add(
      heat,
      heat === null
        ? undefined
        : `Association on a sample of ${fmt(table.associations!.sampleRows)} rows: Pearson/Spearman for numeric pairs (−1…1), Cramér's V for categorical pairs, correlation ratio for mixed pairs (0…1).`,
    ),
    charts.add(missing, 'Missing-value patterns: which columns are null together, most frequent first.'),
  ].join('');
  const noMissing =
    table.rows === 0
      ? '<p class="muted">The table is empty.</p>'
      : missing === null && table.missingPatterns !== undefined
        ? '<p class="muted">No missing values in the profiled rows.</p>'
        : '';
  return `<section class="table-section" id="${id}"><details class="table-details"${open ? ' open' : ''}><summary>${summary}</summary><div class="table-body">
${tableFacts(catalog, table)}
${alerts.length ? `<p>${alerts.map((a) => `<span class="badge alert">${escapeHtml(a.kind.replace(/_/g, ' '))}</span> ${text(a.detail)}`).join('<br>')}</p>` : ''}
<div class="table-charts">${tableCharts}</div>${noMissing}
<div class="columns">${table.columns.map((c) => columnCard(catalog, table, c, charts)).join('\n')}</div>
</div></details></section>`;
}

function keyText(k: KeyFact): string {
  return `${cols(k.columns)} ${confidence(k.confidence)} ${status(k.status)}${evidenceList(k.evidence)}`;
}

function tableFacts(catalog: Catalog, table: CatalogTable): string {
  const facts: Array<[string, string]> = [];
  facts.push(['primary key', table.primaryKey ? keyText(table.primaryKey) : '<span class="muted">none found</span>']);
  const others = (table.keyCandidates ?? []).filter(
    (k) => k.columns.join('\u0000') !== table.primaryKey?.columns.join('\u0000'),
  );
  if (others.length) facts.push(['other key candidates', others.map(keyText).join('')]);
  const t = table.timeIndex;
  facts.push([
    'time index',
    t
      ? `<code>${escapeHtml(t.column)}</code> ${confidence(t.confidence)} ${status(t.status)}${evidenceList(t.evidence)}`
      : '<span class="muted">none</span>',
  ]);
  if (table.duplicateRows !== undefined)
    facts.push([
      'duplicate rows',
      table.rows > 0
        ? `${fmt(table.duplicateRows)} (${pct(table.duplicateRows / table.rows)})`
        : fmt(table.duplicateRows),
    ]);
  if (table.sampling) facts.push(['sampling', text(table.sampling)]);
  const refersTo = catalog.relationships.filter(
    (r) => r.from.table === table.name && (r.fromSource ?? table.source) === table.source,
  );
  const referencedBy = catalog.relationships.filter(
    (r) => r.to.table === table.name && (r.toSource ?? table.source) === table.source,
  );
  if (refersTo.length)
    facts.push([
      'refers to',
      refersTo
        .map(
          (r) =>
            `${cols(r.from.columns)} → <code>${escapeHtml(r.to.table)}</code>.${cols(r.to.columns)} (${pct(r.coverage)} found)`,
        )
        .join('<br>'),
    ]);
  if (referencedBy.length)
    facts.push([
      'referenced by',
      referencedBy
        .map((r) => `<code>${escapeHtml(r.from.table)}</code>.${cols(r.from.columns)} → ${cols(r.to.columns)}`)
        .join('<br>'),
    ]);
  return `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function columnCard(catalog: Catalog, table: CatalogTable, column: CatalogColumn, charts: ChartSink): string {
  const badges: string[] = [
    `<span class="badge">${escapeHtml(column.semanticType)}</span> ${confidence(column.confidence)} ${status(column.status)}`,
  ];
  if (column.pii !== null) {
    const pc = column.piiConfidence === undefined ? '' : ` ${Math.round(column.piiConfidence * 100)}%`;
    badges.push(
      `<span class="badge pii" title="personal data: values are masked in this report">PII: ${escapeHtml(column.pii.replace(/_/g, ' '))}${pc}</span>`,
    );
  }
  if (table.primaryKey?.columns.includes(column.name)) badges.push('<span class="badge key">key</span>');
  if (table.timeIndex?.column === column.name) badges.push('<span class="badge key">time index</span>');
  if (catalog.targets.some((t) => t.table === table.name && t.column === column.name))
    badges.push('<span class="badge target">target candidate</span>');
  for (const a of column.alerts)
    badges.push(`<span class="badge alert" title="${text(a.detail)}">${escapeHtml(a.kind.replace(/_/g, ' '))}</span>`);
  const stats = grid(
    ['stat', 'value'],
    displayStats(column, table.rows).map(([k, v]) => [escapeHtml(k), escapeHtml(v)]),
    'grid stats',
  );
  const chartHtml =
    charts.add(histogramChart(table.name, column)) +
    charts.add(topValuesChart(table.name, column), column.pii !== null ? 'Masked values.' : undefined);
  return `<article class="column" id="${columnAnchor(table.source, table.name, column.name)}"><header><h4>${escapeHtml(column.name)}</h4><code>${escapeHtml(column.physicalType)}</code></header>
<div>${badges.join(' ')}</div>${evidenceList(column.evidence)}${column.pii !== null ? evidenceList(column.piiEvidence) : ''}${stats}${chartHtml}</article>`;
}
