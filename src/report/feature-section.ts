import type { Catalog, CatalogFeature, CatalogFeatureSet } from '../catalog/catalog.js';
import type { CutoffSpec } from '../catalog/feature-types.js';
import type { ChartSink } from './chart-sink.js';
import { escapeHtml } from './escape-html.js';
import { featureGainChart, rankedKept } from './feature-gain-chart.js';
import { grid, text } from './html-parts.js';
import { fmt, pct } from './safe-stats.js';
import { reasonGroup, reasonRank } from '../features/drop-reasons.js';

const code = (s: string) => `<code>${escapeHtml(s)}</code>`;
const badge = (s: string, cls = '') => `<span class="badge${cls ? ` ${cls}` : ''}">${escapeHtml(s)}</span>`;

/**
 * The "Features" section: per feature set, the kept features ranked by gain, the dropped ones
 * grouped by why, and the cutoff and its warnings. Every feature carries its SQL (its lineage)
 * in a closed <details>, so a 100-feature set stays one screen until a reader opens one.
 * Empty before `fathom features` has run.
 */
export function featureSection(catalog: Catalog, charts: ChartSink): string {
  const sets = catalog.features ?? [];
  if (sets.length === 0) return '';
  return `<section id="features"><h2>Features</h2>
${sets.map((s) => featureSetPart(s, catalog.metadataVersion, charts)).join('\n')}
</section>`;
}

function featureSetPart(set: CatalogFeatureSet, currentVersion: number | undefined, charts: ChartSink): string {
  const kept = rankedKept(set);
  const dropped = set.features.filter((f) => f.status === 'dropped');
  const tables = [...new Set(set.features.flatMap((f) => f.tables))];
  const stale =
    currentVersion !== undefined && set.metadataVersion < currentVersion
      ? `<p>${badge('stale', 'alert')} Built at metadata version ${fmt(set.metadataVersion)}; the reviewed metadata is now at version ${fmt(currentVersion)}. Run <code>fathom features</code> again.</p>`
      : '';
  const warnings = set.warnings.map((w) => `<li>${text(w)}</li>`).join('');
  return `<h3>${escapeHtml(`${set.target.table}.${set.target.column}`)} ${badge(set.target.kind, 'target')}</h3>
<p class="muted">${fmt(set.features.length)} features to depth ${fmt(set.depth)} over ${tables.map(code).join(', ')}: ${fmt(kept.length)} kept, ${fmt(dropped.length)} dropped. Matrix ${fmt(set.matrix.rows)} rows × ${fmt(set.matrix.columns)} columns, ${escapeHtml(sizeOf(set.matrix.bytes))} of Parquet (object ${code(set.matrix.object.slice(0, 12))}).</p>
<p><b>Cutoff:</b> ${cutoffText(set.cutoff)}${set.windowDays !== null ? `; only child rows in the ${escapeHtml(String(set.windowDays))} days before it` : ''}.</p>
${stale}${warnings ? `<ul class="findings feature-warnings">${warnings}</ul>` : ''}
${keptPart(kept, charts, set)}
${droppedPart(dropped)}`;
}

function keptPart(kept: readonly CatalogFeature[], charts: ChartSink, set: CatalogFeatureSet): string {
  if (kept.length === 0) return '<h4>Kept</h4><p class="muted">No feature was kept.</p>';
  const top = kept[0]!.gain ?? 0;
  const rows = kept.map((f, i) => [
    fmt(i + 1),
    lineage(f),
    escapeHtml(f.kind),
    `${escapeHtml(f.primitive)} <span class="muted">depth ${fmt(f.depth)}</span>`,
    gainBar(f.gain, top),
  ]);
  const caption =
    'Share of the split gain of a probe GBDT fitted on the candidate features (selection ranks by it and keeps the best).';
  return `<h4>Kept (${fmt(kept.length)}), ranked by gain</h4>${charts.add(featureGainChart(set), caption)}
${grid(['#', 'feature', 'kind', 'primitive', 'gain'], rows, 'grid features')}`;
}

function droppedPart(dropped: readonly CatalogFeature[]): string {
  if (dropped.length === 0) return '<h4>Dropped</h4><p class="muted">No feature was dropped.</p>';
  const groups = new Map<string, CatalogFeature[]>();
  for (const f of dropped) {
    const g = reasonGroup(f.reason ?? '');
    const members = groups.get(g);
    if (members) members.push(f);
    else groups.set(g, [f]);
  }
  const parts = [...groups]
    .sort((a, b) => reasonRank(a[0]) - reasonRank(b[0]))
    .map(([group, features]) => {
      const rows = features.map((f) => [lineage(f), text(f.reason ?? ''), f.gain !== undefined ? pct(f.gain) : '']);
      return `<details class="dropped-group"><summary>${text(group)} (${fmt(features.length)})</summary>${grid(['feature', 'reason', 'gain'], rows, 'grid features')}</details>`;
    });
  return `<h4>Dropped (${fmt(dropped.length)}), by reason</h4>${parts.join('\n')}`;
}

/** A feature's name, with the SQL that computes it for every target row behind a <details>. */
function lineage(f: CatalogFeature): string {
  const leak = f.leakage !== undefined ? `<div>${badge('leakage suspect', 'alert')} ${text(f.leakage)}</div>` : '';
  return `<details class="lineage"><summary>${code(f.name)}</summary><div class="muted">reads ${f.tables.map(code).join(', ')}</div><pre class="sql">${escapeHtml(f.sql)}</pre></details>${leak}`;
}

/** The gain as a bar scaled to the best feature's, and its share of the total. */
function gainBar(gain: number | undefined, top: number): string {
  if (gain === undefined) return '';
  const w = top > 0 ? Math.round(Math.max(0, Math.min(1, gain / top)) * 100) : 0;
  return `<span class="conf gain" title="share of gain ${pct(gain)}"><span style="width:${w}%"></span></span> ${pct(gain)}`;
}

function cutoffText(c: CutoffSpec): string {
  switch (c.kind) {
    case 'time-index':
      return `each row's time index ${code(c.column)}: only child rows strictly before it`;
    case 'column':
      return `each row's ${code(c.column)}: only child rows strictly before it`;
    case 'fixed':
      return `one instant for every row, ${code(c.at)}: only child rows strictly before it`;
    case 'table':
      return `one row per row of ${code(c.table)}, each at its ${code(c.column)}${c.label ? ', with the target value it gives' : ''}: only child rows strictly before it`;
    case 'none':
      return `none: every child row is used, whatever its time ${badge('leakage risk', 'alert')}`;
  }
}

function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
