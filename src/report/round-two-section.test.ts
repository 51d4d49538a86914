import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromColumnar, type ChartPayload } from './chart-sink.js';
import { buildReport, renderReport } from './render-report.js';
import { shopCatalog } from '../catalog/shop-catalog.fixture.js';
import { HOSTILE_FEATURE, shopRoundTwo } from '../catalog/round-two.fixture.js';

// Importing render-report.test.ts for its helper would register its tests here a second time.
function payloadOf(html: string): ChartPayload {
  const m = /<script type="application\/json" id="fathom-charts">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the chart payload is in the page');
  return JSON.parse(m[1]!) as ChartPayload;
}
const content = (html: string) => html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');

test('with round two the report has its section: balance, ranking, suspects, fan-out, drift and proposals', () => {
  const catalog = { ...shopCatalog(), roundTwo: shopRoundTwo() };
  const html = content(renderReport(catalog));
  assert.ok(html.includes('<a href="#round-two">Round two</a>'));
  const section = html.slice(html.indexOf('<section id="round-two">'), html.indexOf('<section id="tables">'));
  assert.ok(section.startsWith('<section id="round-two"><h2>Round two: customers.churned'));
  for (const h of [
    'Target',
    'Association with the target',
    'Leakage suspects (1)',
    'Relationships',
    'Drift over time',
    'Proposed derived variables (2)',
  ])
    assert.ok(section.includes(`<h3>${h}</h3>`), h);
  assert.match(
    section,
    /<td><code>customers\.cancellation_reason<\/code><\/td><td><span class="badge alert">predicts the target<\/span><\/td><td>99%<\/td>/,
  );
  assert.match(
    section,
    /<code>orders\.customer_id<\/code> → <code>customers\.customer_id<\/code><\/td><td>9\.471 <span class="muted">\(p50 6, p95 28, max 169\)<\/span><\/td><td>2\.8%<\/td><td>100 \(0\.4%\)<\/td>/,
  );
  assert.match(
    section,
    /<td><code>age<\/code><\/td><td>numeric<\/td><td>0\.250<\/td><td><span class="badge alert">drift<\/span><\/td>/,
  );
  assert.match(
    section,
    /<td><code>plan<\/code><\/td><td>categorical<\/td><td>0\.020<\/td><td><span class="muted">stable<\/span><\/td>/,
  );
  assert.ok(section.includes('share of true per window: 23% → 22% → 18.4% → 22% → 19.2% → 16.2%'));
  assert.ok(section.includes('count of orders per customer in the last 90 days'));
  const payload = payloadOf(renderReport(catalog));
  const kinds = payload.charts.map((c) => c.k);
  assert.equal(kinds.filter((k) => k === 'target-balance').length, 1);
  assert.equal(kinds.filter((k) => k === 'association-ranking').length, 1);
  assert.equal(kinds.filter((k) => k === 'drift-lines').length, 1);
  const ranking = fromColumnar(payload.charts.find((c) => c.k === 'association-ranking')!.v);
  assert.deepEqual(
    ranking.map((r) => r['status']),
    ['leakage suspect', 'feature', 'feature', 'feature', 'feature'],
  );
});

test('without round two there is no section and no link to it', () => {
  const html = renderReport(shopCatalog());
  assert.ok(!html.includes('id="round-two"'));
  assert.ok(!html.includes('#round-two'));
});

test('round-two charts compile with Vega-Lite and run in Vega', async () => {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const payload = payloadOf(buildReport({ ...shopCatalog(), roundTwo: shopRoundTwo() }).html);
  const ours = payload.charts.filter((c) => ['target-balance', 'association-ranking', 'drift-lines'].includes(c.k));
  assert.equal(ours.length, 3);
  for (const c of ours) {
    const compiled = vl.compile({
      ...payload.templates[c.t],
      data: { name: 'source' },
      config: payload.config,
    } as never).spec as { data: Array<{ name: string; values?: unknown }> };
    compiled.data.find((d) => d.name === 'source')!.values = fromColumnar(c.v);
    const view = new vega.View(vega.parse(compiled as never), { renderer: 'none' });
    await view.runAsync();
    assert.equal(view.data('source').length, c.v.rows.length, c.k);
    view.finalize();
  }
});

test('a hostile feature name in round two stays text', () => {
  const html = content(renderReport({ ...shopCatalog(), roundTwo: shopRoundTwo(true) }));
  assert.ok(!html.includes(HOSTILE_FEATURE));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
});
