import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromColumnar, type ChartPayload } from './chart-sink.js';
import { escapeHtml } from './escape-html.js';
import { reasonGroup } from '../features/drop-reasons.js';
import { MAX_GAIN_BARS } from './feature-gain-chart.js';
import { buildReport, renderReport } from './render-report.js';
import { shopCatalog } from '../catalog/shop-catalog.fixture.js';
import { HOSTILE_FEATURE_COLUMN, shopFeatureSet } from './feature-set.fixture.js';

// Importing render-report.test.ts for its helper would register its tests here a second time.
function payloadOf(html: string): ChartPayload {
  const m = /<script type="application\/json" id="fathom-charts">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the chart payload is in the page');
  return JSON.parse(m[1]!) as ChartPayload;
}
const content = (html: string) => html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
const sectionOf = (html: string) =>
  html.slice(html.indexOf('<section id="features">'), html.indexOf('<section id="tables">'));
/** Feature names in the order their <summary> appears in a piece of the page. */
const summaries = (html: string) =>
  [...html.matchAll(/<details class="lineage"><summary><code>([^<]*)<\/code><\/summary>/g)].map((m) => m[1]!);

test('the Features section ranks kept features by gain with a bar, each with its SQL, then dropped ones by reason', () => {
  const set = shopFeatureSet();
  const html = content(renderReport({ ...shopCatalog(), metadataVersion: 1, features: [set] }));
  assert.ok(html.includes('<a href="#features">Features</a>'));
  const section = sectionOf(html);
  assert.ok(section.startsWith('<section id="features"><h2>Features</h2>'));
  assert.ok(section.includes('<h3>customers.churned <span class="badge target">binary</span></h3>'));
  assert.ok(
    section.includes(
      '28 features to depth 2 over <code>customers</code>, <code>orders</code>: 22 kept, 6 dropped. Matrix 3,000 rows × 30 columns, 718.9 KB of Parquet',
    ),
  );
  assert.ok(
    section.includes(
      'one instant for every row, <code>2025-06-30T00:00:00.000Z</code>: only child rows strictly before it; only child rows in the 365 days before it.',
    ),
  );
  assert.ok(section.includes('records when a row began, not when its target was known'), 'the cutoff warning is shown');
  assert.ok(!section.includes('stale'), 'a set built at the current metadata version is not stale');

  const kept = section.slice(section.indexOf('<h4>Kept (22), ranked by gain</h4>'), section.indexOf('<h4>Dropped'));
  const expected = set.features
    .filter((f) => f.status === 'kept')
    .sort((a, b) => b.gain! - a.gain!)
    .map((f) => escapeHtml(f.name));
  assert.deepEqual(summaries(kept), expected);
  assert.equal(expected[2], 'plan', 'ranked by gain, not listed in synthesis order');
  // The best feature's bar is full; the others are scaled to it.
  assert.match(
    kept,
    /<td>1<\/td><td><details class="lineage"><summary><code>SUM\(orders\.total_amount WHERE orders\.ordered_at &lt; cutoff\)<\/code><\/summary><div class="muted">reads <code>customers<\/code>, <code>orders<\/code><\/div><pre class="sql">WITH r0 AS/,
  );
  assert.match(
    kept,
    /<span class="conf gain" title="share of gain 27\.\d%"><span style="width:100%"><\/span><\/span> 27\.\d%/,
  );
  assert.match(kept, /<span style="width:50%"><\/span><\/span> 13\.\d%/);
  assert.ok(
    kept.includes(escapeHtml('a1.f0 AS "SUM(orders.total_amount WHERE orders.ordered_at < cutoff)"')),
    'the SQL is in the page, escaped',
  );

  const dropped = section.slice(section.indexOf('<h4>Dropped (6), by reason</h4>'));
  const groups = [...dropped.matchAll(/<details class="dropped-group"><summary>([^<]*)<\/summary>/g)].map((m) => m[1]);
  assert.deepEqual(groups, [
    'leakage suspect (1)',
    'mostly missing (1)',
    'constant (1)',
    'near-duplicate of another feature (1)',
    'ranked below the top features by gain (1)',
    'no gain in the ranking probe (1)',
  ]);
  for (const f of set.features.filter((x) => x.status === 'dropped')) {
    assert.ok(dropped.includes(`${escapeHtml(f.name)}</code></summary>`), f.name);
    assert.ok(dropped.includes(`<td>${escapeHtml(f.reason!)}</td>`), `the reason of ${f.name} is shown`);
  }
  assert.ok(
    dropped.includes(
      '<span class="badge alert">leakage suspect</span> customers.cancellation_reason: predicts the target almost perfectly',
    ),
  );
});

test('the gain chart shows the top 20 kept features, best first', () => {
  const set = shopFeatureSet();
  const payload = payloadOf(buildReport({ ...shopCatalog(), features: [set] }).html);
  const charts = payload.charts.filter((c) => c.k === 'feature-gain');
  assert.equal(charts.length, 1);
  const bars = fromColumnar(charts[0]!.v);
  assert.equal(bars.length, MAX_GAIN_BARS);
  const best = set.features
    .filter((f) => f.status === 'kept')
    .sort((a, b) => b.gain! - a.gain!)
    .slice(0, MAX_GAIN_BARS);
  assert.deepEqual(
    bars.map((b) => b['feature']),
    best.map((f) => f.name),
  );
  assert.deepEqual(
    bars.map((b) => b['gain']),
    best.map((f) => f.gain),
  );
});

test('the gain chart compiles with Vega-Lite and runs in Vega', async () => {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const payload = payloadOf(buildReport({ ...shopCatalog(), features: [shopFeatureSet()] }).html);
  const c = payload.charts.find((x) => x.k === 'feature-gain')!;
  const compiled = vl.compile({ ...payload.templates[c.t], data: { name: 'source' }, config: payload.config } as never)
    .spec as { data: Array<{ name: string; values?: unknown }> };
  compiled.data.find((d) => d.name === 'source')!.values = fromColumnar(c.v);
  const view = new vega.View(vega.parse(compiled as never), { renderer: 'none' });
  await view.runAsync();
  assert.equal(view.data('source').length, MAX_GAIN_BARS);
  view.finalize();
});

test('a feature over a column named with <script> and quotes stays text, in its name and its SQL', () => {
  const set = shopFeatureSet(true);
  const hostile = set.features.find((f) => f.name.includes(HOSTILE_FEATURE_COLUMN))!;
  const { html } = buildReport({ ...shopCatalog(), features: [set] });
  const page = content(html);
  assert.ok(!page.includes('<script>alert(1)'), 'the name became markup');
  assert.ok(!page.includes(HOSTILE_FEATURE_COLUMN));
  const section = sectionOf(page);
  assert.ok(
    section.includes(
      `<code>MEAN(orders.&quot;amt&#39;&quot;&lt;script&gt;alert(1)&lt;/script&gt; WHERE orders.ordered_at &lt; cutoff)</code>`,
    ),
  );
  // In the SQL the name is a quoted identifier, its quotes doubled, and escaped once more for HTML.
  assert.ok(
    section.includes(
      'AS &quot;MEAN(orders.&quot;&quot;amt&#39;&quot;&quot;&lt;script&gt;alert(1)&lt;/script&gt; WHERE',
    ),
  );
  assert.ok(summaries(section).includes(escapeHtml(hostile.name)));
  // The chart data carries the name as JSON that cannot end its <script> element.
  assert.equal((html.match(/<\/script>/g) ?? []).length, 4, "only the page's own four scripts end");
  assert.ok(
    fromColumnar(payloadOf(html).charts.find((c) => c.k === 'feature-gain')!.v).some(
      (b) => b['feature'] === hostile.name,
    ),
  );
});

test('without feature sets there is no section and no link; a set older than the metadata says so', () => {
  const plain = renderReport(shopCatalog());
  assert.ok(!plain.includes('id="features"'));
  assert.ok(!plain.includes('#features'));
  const stale = sectionOf(
    content(renderReport({ ...shopCatalog(), metadataVersion: 3, features: [shopFeatureSet()] })),
  );
  assert.ok(
    stale.includes(
      '<span class="badge alert">stale</span> Built at metadata version 1; the reviewed metadata is now at version 3.',
    ),
  );
});

test('dropped reasons fall into a few groups; an unknown reason is its own group', () => {
  assert.equal(
    reasonGroup('near-duplicate of COUNT(orders WHERE orders.ordered_at < cutoff) (r = 0.9961)'),
    'near-duplicate of another feature',
  );
  assert.equal(
    reasonGroup('near-perfect predictor of the target on its own (AUC 0.999): a leak'),
    'near-perfect predictor of the target (a leak)',
  );
  assert.equal(reasonGroup('all values missing'), 'mostly missing');
  assert.equal(reasonGroup('identifier: an integer unique per row'), 'identifier');
  assert.equal(reasonGroup('free text'), 'free text');
});

test('each kind of cutoff reads in words; no cutoff is flagged as a leakage risk', () => {
  const cutoffOf = (cutoff: ReturnType<typeof shopFeatureSet>['cutoff']) => {
    const section = sectionOf(
      content(renderReport({ ...shopCatalog(), features: [{ ...shopFeatureSet(), cutoff, windowDays: null }] })),
    );
    return /<p><b>Cutoff:<\/b> (.*?)<\/p>/.exec(section)![1];
  };
  assert.equal(
    cutoffOf({ kind: 'time-index', column: 'signed_up_at' }),
    "each row's time index <code>signed_up_at</code>: only child rows strictly before it.",
  );
  assert.equal(
    cutoffOf({ kind: 'column', column: 'observed_at' }),
    "each row's <code>observed_at</code>: only child rows strictly before it.",
  );
  assert.equal(
    cutoffOf({ kind: 'table', table: 'labels', column: 'as_of', label: true }),
    'one row per row of <code>labels</code>, each at its <code>as_of</code>, with the target value it gives: only child rows strictly before it.',
  );
  assert.equal(
    cutoffOf({ kind: 'none' }),
    'none: every child row is used, whatever its time <span class="badge alert">leakage risk</span>.',
  );
});
