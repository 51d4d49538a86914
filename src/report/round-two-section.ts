import type { Catalog } from '../catalog/catalog.js';
import type { RoundTwo } from '../catalog/round-two-types.js';
import type { ChartSink } from './chart-sink.js';
import { escapeHtml } from './escape-html.js';
import { grid, text } from './html-parts.js';
import { num, pct, fmt } from './safe-stats.js';
import { associationRankingChart, driftChart, targetBalanceChart } from './round-two-charts.js';

const code = (s: string) => `<code>${escapeHtml(s)}</code>`;
const badge = (s: string, cls = '') => `<span class="badge${cls ? ` ${cls}` : ''}">${escapeHtml(s)}</span>`;

/** The "Round two" section: what exploration found once the target was confirmed. Empty without round two. */
export function roundTwoSection(catalog: Catalog, charts: ChartSink): string {
  const r = catalog.roundTwo;
  if (!r) return '';
  const target = `${r.target.table}.${r.target.column}`;
  return `<section id="round-two"><h2>Round two: ${escapeHtml(target)} ${badge(r.target.kind, 'target')}</h2>
<p class="muted">After review (metadata version ${fmt(r.metadataVersion)}). Associations on ${escapeHtml(r.associations.sampling)}; counts, fan-out and drift over whole tables.</p>
${r.findings.length ? `<ul class="findings">${r.findings.map((f) => `<li>${text(f)}</li>`).join('')}</ul>` : ''}
${targetPart(r, charts)}
${associationPart(r, charts)}
${leakagePart(r)}
${relationshipPart(r)}
${driftPart(r, charts)}
${proposalPart(r)}
</section>`;
}

function targetPart(r: RoundTwo, charts: ChartSink): string {
  const s = r.targetSummary;
  const rows = s.classes
    ? grid(
        ['class', 'rows', 'share'],
        s.classes.map((c) => [
          `${escapeHtml(c.value)}${c.value === s.positive ? ` ${badge('positive')}` : ''}`,
          fmt(c.count),
          pct(c.share),
        ]),
      )
    : '';
  const q = s.distribution?.quantiles;
  const dist = q
    ? `<p>${Object.entries(q)
        .map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(typeof v === 'number' ? num(v) : String(v))}`)
        .join(' · ')}</p>`
    : '';
  const notes = s.notes
    .map((n) => `<p>${badge(n.startsWith('imbalanced') ? 'imbalanced' : 'note', 'alert')} ${text(n)}</p>`)
    .join('');
  return `<h3>Target</h3><div class="table-charts">${charts.add(targetBalanceChart(r))}<div>${rows}${dist}${notes}</div></div>`;
}

function associationPart(r: RoundTwo, charts: ChartSink): string {
  const ranked = r.associations.ranked;
  if (ranked.length === 0) return '<h3>Association with the target</h3><p class="muted">No feature to compare.</p>';
  const rows = ranked.map((a) => [
    code(a.feature),
    escapeHtml(a.kind.replace(/_/g, ' ')),
    a.auc === null ? '' : `${a.auc.toFixed(3)}${a.direction ? ` <span class="muted">(${a.direction} ↑)</span>` : ''}`,
    a.normalizedMi.toFixed(3),
    a.mutualInformation.toFixed(3),
    pct(a.missingShare),
  ]);
  const caption =
    'AUC of a model using one feature alone (numbers: rank AUC; categories: target rate per value learned out of fold); mutual information with numbers in 10 equal-count bins and missing values as their own level.';
  return `<h3>Association with the target</h3>${charts.add(associationRankingChart(r), caption)}
<details><summary>All ${fmt(ranked.length)} features</summary>${grid(['feature', 'kind', 'AUC', 'normalised MI', 'MI (bits)', 'missing'], rows)}</details>`;
}

function leakagePart(r: RoundTwo): string {
  if (r.leakage.length === 0) return '<h3>Leakage suspects</h3><p class="muted">No leakage suspect.</p>';
  const rows = r.leakage.map((l) => [
    `${code(`${l.table}.${l.column}`)}`,
    badge(l.reason === 'predicts_target' ? 'predicts the target' : 'recorded after target time', 'alert'),
    `${Math.round(l.confidence * 100)}%`,
    `<ul class="evidence">${l.evidence.map((e) => `<li>${text(e)}</li>`).join('')}</ul>`,
  ]);
  return `<h3>Leakage suspects (${fmt(r.leakage.length)})</h3>${grid(['column', 'why', 'confidence', 'evidence'], rows)}`;
}

function relationshipPart(r: RoundTwo): string {
  if (r.relationships.length === 0) return '';
  const rows = r.relationships.map((x) => {
    const f = x.fanOut;
    const best = x.aggregates
      .slice(0, 3)
      .map(
        (a) => `${code(a.feature)} ${a.auc !== null ? `AUC ${a.auc.toFixed(2)}` : `MI ${a.normalizedMi.toFixed(2)}`}`,
      )
      .join('<br>');
    return [
      `${code(`${x.from.table}.${x.from.columns.join('+')}`)} → ${code(`${x.to.table}.${x.to.columns.join('+')}`)}`,
      f
        ? `${num(f.mean)} <span class="muted">(p50 ${fmt(f.p50)}, p95 ${fmt(f.p95)}, max ${fmt(f.max)})</span>`
        : `<span class="muted">${text(x.note ?? 'not computed')}</span>`,
      f && f.parents > 0 ? pct(f.childless / f.parents) : '',
      `${fmt(x.orphanRows)} (${pct(x.orphanRate)})`,
      best || '<span class="muted">—</span>',
    ];
  });
  return `<h3>Relationships</h3>${grid(['child → parent', 'child rows per parent', 'parents without children', 'orphan child rows', 'child aggregates vs target'], rows)}`;
}

function driftPart(r: RoundTwo, charts: ChartSink): string {
  if (r.drift.length === 0)
    return '<h3>Drift over time</h3><p class="muted">No table with a time index had enough rows to split into windows.</p>';
  const parts = r.drift.map((d) => {
    const rate = d.windows.some((w) => w.targetRate !== null)
      ? `<p>${r.target.kind === 'regression' ? 'mean target' : `share of ${escapeHtml(r.targetSummary.positive ?? '')}`} per window: ${d.windows.map((w) => (w.targetRate === null ? '–' : r.target.kind === 'regression' ? num(w.targetRate) : pct(w.targetRate))).join(' → ')}</p>`
      : '';
    const rows = d.columns.map((c) => [
      code(c.column),
      escapeHtml(c.kind),
      c.maxPsi.toFixed(3),
      c.flagged ? badge('drift', 'alert') : '<span class="muted">stable</span>',
    ]);
    const windows = `${fmt(d.windows.length)} windows from ${escapeHtml(d.windows[0]?.from ?? '')} to ${escapeHtml(d.windows.at(-1)?.to ?? '')}`;
    return `<h4>${escapeHtml(d.table)} over ${code(d.timeIndex)} <span class="muted">(${windows})</span></h4>${rate}<div class="table-charts">${charts.add(driftChart(d))}${rows.length ? `<div>${grid(['column', 'kind', 'max PSI', ''], rows)}</div>` : ''}</div>`;
  });
  return `<h3>Drift over time</h3><p class="muted">PSI of each equal-row time window against the first; above 0.2 is flagged.</p>${parts.join('')}`;
}

function proposalPart(r: RoundTwo): string {
  if (r.proposals.length === 0) return '';
  const rows = r.proposals.map((p) => [
    escapeHtml(p.description),
    code(p.definition),
    p.evidence ? text(p.evidence) : '',
  ]);
  return `<h3>Proposed derived variables (${fmt(r.proposals.length)})</h3><p class="muted">Proposals for feature engineering, not computed features; <code>:cutoff</code> is each row's prediction time.</p>${grid(['variable', 'definition', 'evidence'], rows)}`;
}
