import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from '../catalog/catalog.js';
import { chartSpec } from './chart.js';
import { fromColumnar, type ChartPayload } from './chart-sink.js';
import { buildReport, renderReport } from './render-report.js';
import { SHOP_RAW_PII, shopCatalog } from '../catalog/shop-catalog.fixture.js';
import { hostileCatalog } from '../catalog/hostile-catalog.fixture.js';

/** The chart payload the page's script reads. */
export function payloadOf(html: string): ChartPayload {
  const m = /<script type="application\/json" id="fathom-charts">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the chart payload is in the page');
  return JSON.parse(m[1]!) as ChartPayload;
}

/** The page without the inlined chart libraries (their source is not report content). */
const content = (html: string) => html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');

const count = (html: string, needle: RegExp) => (html.match(needle) ?? []).length;

test('the shop report has an overview, findings, relationships, alerts and a section per table and column', () => {
  const catalog = shopCatalog();
  const { html, charts, tables } = buildReport(catalog);
  assert.match(html, /^<!doctype html>/);
  for (const id of ['overview', 'findings', 'relationships', 'alerts', 'tables'])
    assert.ok(html.includes(`<section id="${id}"`), id);
  assert.equal(tables, 6);
  assert.equal(count(html, /<section class="table-section"/g), 6);
  assert.equal(
    count(html, /<article class="column"/g),
    catalog.tables.reduce((s, t) => s + t.columns.length, 0),
  );
  for (const f of catalog.findings!) assert.ok(html.includes(f.replace(/'/g, '&#39;')), f);
  const alerts = catalog.tables.reduce(
    (s, t) => s + (t.alerts?.length ?? 0) + t.columns.reduce((n, c) => n + c.alerts.length, 0),
    0,
  );
  assert.ok(html.includes(`Alerts (${alerts})`));
  // One placeholder per chart, each pointing at its payload entry.
  const payload = payloadOf(html);
  assert.equal(payload.charts.length, charts);
  assert.equal(count(html, /data-chart="\d+"/g), charts);
  const kinds = payload.charts.map((c) => c.k);
  assert.equal(kinds.filter((k) => k === 'relationship-diagram').length, 1);
  assert.equal(kinds.filter((k) => k === 'association-heatmap').length, 6);
  assert.equal(kinds.filter((k) => k === 'missing-patterns').length, 1, 'only customers has missing values');
  assert.ok(kinds.filter((k) => k === 'histogram').length >= 10);
  assert.ok(kinds.filter((k) => k === 'top-values').length >= 10);
});

test('no raw PII value of the fixture appears anywhere in the page, though the catalog holds them', () => {
  const catalog = shopCatalog();
  const html = renderReport(catalog);
  for (const raw of SHOP_RAW_PII) {
    const pattern = /^\d+$/.test(raw)
      ? new RegExp(`(?<!\\d)${raw}(?!\\d)`)
      : new RegExp(raw.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    assert.ok(!pattern.test(html), `raw PII "${raw}" leaked into the report`);
  }
  // Masked stand-ins are shown instead.
  assert.ok(html.includes('T*** D***'));
  assert.ok(html.includes('34***'));
  // PII columns get no histogram (bin edges are values) and no min/max rows.
  const payload = payloadOf(html);
  assert.ok(!payload.charts.some((c) => c.k === 'histogram' && JSON.stringify(c.v).includes('10022')));
});

test('every chart compiles with Vega-Lite and runs in Vega, the way the page does it', async () => {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const payload = payloadOf(renderReport(shopCatalog()));
  for (const [i, c] of payload.charts.entries()) {
    // As report-client.ts: compile the template against a named source, then put the rows in.
    const compiled = vl.compile({
      ...payload.templates[c.t],
      data: { name: 'source' },
      config: payload.config,
    } as never).spec as { data: Array<{ name: string; values?: unknown }> };
    const source = compiled.data.find((d) => d.name === 'source');
    assert.ok(source, `chart ${i}: compiled spec keeps the named source`);
    source.values = fromColumnar(c.v);
    const view = new vega.View(vega.parse(compiled as never), { renderer: 'none' });
    await view.runAsync();
    assert.equal(view.data('source').length, c.v.rows.length, `chart ${i} (${c.k}) got its rows`);
    view.finalize();
  }
});

test('inline chart data (chartSpec) and the columnar payload hold the same rows', () => {
  const payload = payloadOf(renderReport(shopCatalog()));
  const c = payload.charts.find((x) => x.k === 'histogram')!;
  const spec = chartSpec({ kind: c.k, label: '', template: payload.templates[c.t]!, values: fromColumnar(c.v) });
  assert.deepEqual((spec['data'] as { values: unknown[] }).values, fromColumnar(c.v));
  assert.deepEqual(Object.keys(fromColumnar(c.v)[0]!).sort(), ['count', 'hi', 'lo']);
});

test('identical chart templates are stored once', () => {
  const payload = payloadOf(renderReport(shopCatalog()));
  const distinct = new Set(payload.templates.map((t) => JSON.stringify(t)));
  assert.equal(distinct.size, payload.templates.length);
  assert.ok(
    payload.templates.length < payload.charts.length / 2,
    `${payload.templates.length} templates for ${payload.charts.length} charts`,
  );
});

test('table, column and source names are escaped everywhere; nothing in them becomes markup', () => {
  const html = renderReport(hostileCatalog());
  const body = content(html);
  assert.ok(!body.includes('<script>alert'), 'a column name became a script');
  assert.ok(!body.includes('<img'), 'a finding became an image');
  assert.ok(!body.includes('<b>src</b>'));
  assert.ok(body.includes('we&quot;ird &lt;t&gt;&amp;&#39;ü'));
  assert.ok(body.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
  // Exactly the page's own four script elements.
  assert.equal(count(html, /<script[\s>]/g), 4);
  assert.equal(count(html, /<\/script>/g), 4);
  const payload = payloadOf(html);
  assert.ok(
    JSON.stringify(payload).includes('</script><script>alert(1)</script>'),
    'the payload keeps the real name for chart labels',
  );
});

test('an empty catalog renders a page that says so', () => {
  const empty: Catalog = { version: 1, sources: [], tables: [], relationships: [], targets: [] };
  const { html, charts } = buildReport(empty);
  assert.equal(charts, 0);
  assert.ok(html.includes('No relationship found'));
  assert.ok(html.includes('No target candidate found'));
  assert.ok(html.includes('No alerts.'));
});

test('an empty table says it is empty, not that it has no missing values', () => {
  const catalog: Catalog = {
    version: 1,
    sources: [],
    tables: [
      {
        name: 'empty',
        source: 's',
        rows: 0,
        primaryKey: null,
        timeIndex: null,
        columns: [],
        missingPatterns: [],
        duplicateRows: 0,
      },
    ],
    relationships: [],
    targets: [],
  };
  const html = renderReport(catalog);
  assert.ok(html.includes('The table is empty.'));
  assert.ok(!html.includes('No missing values'));
  assert.ok(html.includes('<dt>duplicate rows</dt><dd>0</dd>'));
});

test('the page references nothing outside itself', () => {
  const body = content(renderReport(shopCatalog()));
  assert.ok(!/<link\b/i.test(body));
  assert.ok(!/\b(src|href)\s*=\s*["']?(https?:)?\/\//i.test(body));
  assert.ok(!/url\(|@import/i.test(body));
});
