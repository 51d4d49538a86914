import type { ModelMonitor } from '../deploy/monitor/monitor-model.js';
import type { Chart } from './chart.js';
import type { ChartSink } from './chart-sink.js';
import { escapeHtml } from './escape-html.js';
import { grid, text } from './html-parts.js';
import { fmt, pct } from './safe-stats.js';

/** Features in the PSI chart: the most drifting ones. */
const MAX_PSI_BARS = 15;

/**
 * The "Monitoring" section: per served model, how its live inputs and predictions compare with
 * training (PSI, most drifting first, time-dependent features told apart), the traffic per day,
 * and whether retraining is proposed. Absent when nothing was served.
 */
export function monitoringSection(models: readonly ModelMonitor[] | undefined, charts: ChartSink): string {
  const served = (models ?? []).filter((m) => m.records > 0);
  if (served.length === 0) return '';
  return `<section id="monitoring"><h2>Monitoring</h2>
${served.map((m) => modelPart(m, charts)).join('\n')}
</section>`;
}

function modelPart(m: ModelMonitor, charts: ChartSink): string {
  const verdict = m.retrain.proposed
    ? `<p><span class="badge alert">retrain</span> Drift above ${escapeHtml(String(m.threshold))} (${text(m.retrain.reasons.join('; '))}). Retrain: <code>${escapeHtml(m.retrain.commands.join(' && '))}</code></p>`
    : '<p><span class="badge">stable</span> No retraining needed.</p>';
  const findings = m.findings.map((f) => `<li>${text(f.message)}</li>`).join('');
  const days = m.volume.days.slice(-14);
  return `<h3>${escapeHtml(`${m.model}@${m.version}`)} <span class="badge">${escapeHtml(m.stage)}</span></h3>
<p class="muted">${fmt(m.records)} rows served from ${escapeHtml(m.since.slice(0, 16).replace('T', ' '))} to ${escapeHtml(m.until.slice(0, 16).replace('T', ' '))} UTC${m.prediction ? `; prediction PSI ${m.prediction.psi.toFixed(3)}` : ''}.</p>
${verdict}
${charts.add(psiChart(m), `PSI of each feature's served values against its training distribution (above ${m.threshold}: drifted). Time-dependent features move as time passes.`)}
${findings ? `<ul class="findings">${findings}</ul>` : ''}
<p class="muted">Rows per day (UTC): ${days.map((d) => `${escapeHtml(d.day.slice(5))} <b>${fmt(d.rows)}</b>`).join(' · ')}</p>
${grid(
  ['feature', 'PSI', 'missing in training', 'missing served'],
  m.features
    .slice(0, MAX_PSI_BARS)
    .map((f) => [escapeHtml(f.feature), f.psi.toFixed(3), pct(f.missing.training), pct(f.missing.live)]),
)}`;
}

export function psiChart(m: ModelMonitor): Chart | null {
  const top = m.features.slice(0, MAX_PSI_BARS);
  if (top.length === 0) return null;
  return {
    kind: 'psi-bars',
    label: `PSI of the ${top.length} most drifting features of ${m.model}@${m.version}`,
    template: {
      width: 320,
      height: { step: 16 },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            y: { field: 'feature', type: 'nominal', sort: null, title: null, axis: { labelLimit: 360 } },
            x: { field: 'psi', type: 'quantitative', title: 'PSI (served vs training)' },
            color: {
              field: 'kind',
              type: 'nominal',
              title: null,
              scale: { domain: ['input', 'time-dependent'], range: ['#3b6ea5', '#aaaaaa'] },
            },
            tooltip: [{ field: 'feature' }, { field: 'psi', type: 'quantitative', format: '.3f' }, { field: 'kind' }],
          },
        },
        // Its own one-row data: a datum rule over the layer's data draws one line per bar.
        {
          data: { values: [{ threshold: m.threshold }] },
          mark: { type: 'rule', color: '#c0392b', strokeDash: [4, 3] },
          encoding: { x: { field: 'threshold', type: 'quantitative' } },
        },
      ],
    },
    values: top.map((f) => ({
      feature: f.feature,
      psi: Math.round(f.psi * 1e4) / 1e4,
      kind: f.timeDependent ? 'time-dependent' : 'input',
    })),
  };
}
