import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { Catalog } from '../catalog/catalog.js';
import { chromiumSkipReason, withChromium } from '../testing/headless-chromium.js';
import { withTempDir } from '../testing/temp-dir.js';
import { buildReport } from './render-report.js';
import { relationshipLabel } from './relationship-diagram.js';
import { shopCatalog } from '../catalog/shop-catalog.fixture.js';
import { syntheticCatalog } from './synthetic-catalog.js';
import { HOSTILE_COLUMN, HOSTILE_TABLE, hostileCatalog } from '../catalog/hostile-catalog.fixture.js';
import { shopRoundTwo } from '../catalog/round-two.fixture.js';
import { HOSTILE_FEATURE_COLUMN, shopFeatureSet } from './feature-set.fixture.js';
import { MAX_GAIN_BARS } from './feature-gain-chart.js';

const skip = chromiumSkipReason();

interface Opened {
  readonly page: Page;
  readonly errors: string[];
  /** Requests the page tried to make to anything but its own file (all blocked). */
  readonly outside: string[];
  readonly dialogs: string[];
}

/** Open a report with every non-file request blocked, collecting console errors and blocked requests. */
async function openReport(
  context: BrowserContext,
  dir: string,
  catalog: Catalog,
): Promise<Opened & { charts: number }> {
  const { html, charts } = buildReport(catalog);
  const file = join(dir, 'report.html');
  await writeFile(file, html);
  const page = await context.newPage();
  const errors: string[] = [];
  const outside: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(file).href);
  return { page, errors, outside, dialogs, charts };
}

interface ChartState {
  readonly id: number;
  readonly kind: string;
  readonly state: string;
  readonly svg: number;
  readonly markItems: number;
  readonly bars: number;
}

// Browser-side code is passed as text: this package compiles without the DOM types.
const CHART_STATES = `[...document.querySelectorAll('[data-chart]')].map((el) => ({
  id: Number(el.dataset.chart),
  kind: [...el.classList].find((c) => c.startsWith('chart-'))?.slice(6) ?? '',
  state: el.dataset.state ?? 'pending',
  svg: el.querySelectorAll('svg').length,
  markItems: [...el.querySelectorAll('g.role-mark')].reduce((n, g) => n + g.children.length, 0),
  bars: [...el.querySelectorAll('g.mark-rect.role-mark')].reduce((n, g) => n + g.children.length, 0),
}))`;
const RENDER_ALL = 'window.fathomReport.renderAll()';
const PAYLOAD = "JSON.parse(document.getElementById('fathom-charts').textContent)";

/** Per chart: its kind, state, number of rendered mark groups and items, from the live DOM. */
function chartStates(page: Page): Promise<ChartState[]> {
  return page.evaluate(CHART_STATES) as Promise<ChartState[]>;
}

test(
  'the shop report renders every chart in headless Chromium, offline, with no console error',
  { skip, timeout: 120_000 },
  async () => {
    await withTempDir('report-browser', (dir) =>
      withChromium(async (context) => {
        const catalog = shopCatalog();
        const { page, errors, outside, charts } = await openReport(context, dir, catalog);
        const rendered = await page.evaluate(RENDER_ALL);
        assert.equal(rendered, charts);
        const states = await chartStates(page);
        assert.equal(states.length, charts);
        const payload = (await page.evaluate(PAYLOAD)) as { charts: Array<{ v: { rows: unknown[] } }> };
        for (const s of states) {
          assert.equal(s.state, 'done', `chart ${s.id} (${s.kind})`);
          assert.equal(s.svg, 1, `chart ${s.id} has one svg`);
          assert.ok(s.markItems > 0, `chart ${s.id} (${s.kind}) drew marks`);
          // A bar per value: histograms and top values lose no bin.
          if (s.kind === 'histogram' || s.kind === 'top-values')
            assert.equal(s.bars, payload.charts[s.id]!.v.rows.length, `chart ${s.id} (${s.kind}) bars`);
        }
        assert.deepEqual(errors, []);
        assert.deepEqual(outside, [], 'the page asked for something outside its file');
      }),
    );
  },
);

test(
  'the round-two charts draw in the browser: a bar per class, a bar per feature, a line per drifting column',
  { skip, timeout: 120_000 },
  async () => {
    await withTempDir('report-browser', (dir) =>
      withChromium(async (context) => {
        const { page, errors } = await openReport(context, dir, { ...shopCatalog(), roundTwo: shopRoundTwo() });
        await page.evaluate(RENDER_ALL);
        const states = (await chartStates(page)).filter((s) =>
          ['target-balance', 'association-ranking', 'drift-lines'].includes(s.kind),
        );
        assert.deepEqual(
          states.map((s) => [s.kind, s.state, s.bars]),
          [
            ['target-balance', 'done', 2],
            ['association-ranking', 'done', 5],
            ['drift-lines', 'done', 0],
          ],
        );
        assert.equal(await page.locator('.chart-drift-lines g.mark-line.role-mark path').count(), 2);
        assert.deepEqual(errors, []);
      }),
    );
  },
);

test(
  'the Features section draws a bar per top feature; a hostile feature name stays text; its SQL opens',
  { skip, timeout: 120_000 },
  async () => {
    await withTempDir('report-browser', (dir) =>
      withChromium(async (context) => {
        const set = shopFeatureSet(true);
        const { page, errors, dialogs, outside } = await openReport(context, dir, {
          ...shopCatalog(),
          features: [set],
        });
        const chart = page.locator('#features .chart-feature-gain');
        await chart.scrollIntoViewIfNeeded();
        await chart.locator('svg').waitFor();
        const [state] = (await chartStates(page)).filter((s) => s.kind === 'feature-gain');
        assert.deepEqual([state?.state, state?.bars], ['done', MAX_GAIN_BARS]);
        const hostile = set.features.find((f) => f.name.includes(HOSTILE_FEATURE_COLUMN))!;
        const lineage = page.locator('#features details.lineage').filter({ hasText: HOSTILE_FEATURE_COLUMN }).first();
        assert.equal(await lineage.locator('summary').textContent(), hostile.name);
        assert.equal(await lineage.locator('pre.sql').isVisible(), false, 'the SQL starts folded');
        await lineage.locator('summary').click();
        assert.equal(await lineage.locator('pre.sql').textContent(), hostile.sql);
        assert.equal(await page.locator('main script, main img').count(), 0);
        assert.deepEqual(dialogs, [], 'an alert() from a feature name ran');
        assert.deepEqual(errors, []);
        assert.deepEqual(outside, []);
      }),
    );
  },
);

test(
  'the relationship diagram draws an arrow and a label for every relationship',
  { skip, timeout: 120_000 },
  async () => {
    await withTempDir('report-browser', (dir) =>
      withChromium(async (context) => {
        const catalog = shopCatalog();
        const { page, errors } = await openReport(context, dir, catalog);
        const diagram = page.locator('.chart-relationship-diagram');
        await diagram.locator('svg').waitFor();
        const labels = await diagram.locator('g.edge_labels_marks text').allTextContents();
        assert.deepEqual(labels.sort(), catalog.relationships.map(relationshipLabel).sort());
        assert.equal(await diagram.locator('g.mark-line.role-mark path').count(), catalog.relationships.length);
        const names = await diagram.locator('g.mark-text.role-mark text').allTextContents();
        for (const t of catalog.tables) assert.ok(names.includes(t.name), `table ${t.name} is a node`);
        assert.deepEqual(errors, []);
      }),
    );
  },
);

test(
  'charts render lazily: one far down the page waits until it is scrolled into view',
  { skip, timeout: 120_000 },
  async () => {
    await withTempDir('report-browser', (dir) =>
      withChromium(async (context) => {
        const { page } = await openReport(context, dir, shopCatalog());
        await page.locator('.chart-relationship-diagram svg').waitFor();
        const last = page.locator('[data-chart]').last();
        assert.equal(
          await last.getAttribute('data-state'),
          null,
          'the last chart rendered before it was near the viewport',
        );
        await last.scrollIntoViewIfNeeded();
        await last.locator('svg').waitFor();
        assert.equal(await last.getAttribute('data-state'), 'done');
      }),
    );
  },
);

test(
  'hostile names show as text: no script runs, no markup injected, charts still render',
  { skip, timeout: 120_000 },
  async () => {
    await withTempDir('report-browser', (dir) =>
      withChromium(async (context) => {
        const { page, errors, dialogs, outside } = await openReport(context, dir, hostileCatalog());
        await page.evaluate(RENDER_ALL);
        assert.deepEqual(dialogs, [], 'an alert() from the data ran');
        assert.deepEqual(errors, []);
        assert.deepEqual(outside, [], 'an injected <img src=x> was requested');
        assert.equal(await page.locator('section.table-section h3').first().textContent(), HOSTILE_TABLE);
        assert.equal(await page.locator('article.column h4').first().textContent(), HOSTILE_COLUMN);
        assert.equal(await page.locator('main img, main iframe, main script').count(), 0);
        for (const s of await chartStates(page)) assert.equal(s.state, 'done', `chart ${s.id} (${s.kind})`);
      }),
    );
  },
);

test(
  'a big report starts with tables collapsed; opening one draws its charts',
  { skip, timeout: 120_000 },
  async () => {
    await withTempDir('report-browser', (dir) =>
      withChromium(async (context) => {
        const { page, errors } = await openReport(context, dir, syntheticCatalog(14, 6));
        await page.locator('.chart-relationship-diagram svg').waitFor();
        assert.equal(await page.locator('details.table-details[open]').count(), 0);
        const first = page.locator('details.table-details').first();
        const charts = first.locator('[data-chart]');
        assert.ok((await charts.count()) > 0);
        assert.equal(await charts.first().getAttribute('data-state'), null, 'a chart in a closed section was drawn');
        await page.locator('button[data-details="open"]').click();
        assert.equal(await page.locator('details.table-details[open]').count(), 14);
        await first.scrollIntoViewIfNeeded();
        await charts.first().locator('svg').waitFor();
        assert.equal(await charts.first().getAttribute('data-state'), 'done');
        assert.deepEqual(errors, []);
      }),
    );
  },
);

test(
  'a link to a column inside a collapsed table opens the table and shows the column',
  { skip, timeout: 120_000 },
  async () => {
    await withTempDir('report-browser', (dir) =>
      withChromium(async (context) => {
        const catalog = syntheticCatalog(14, 6);
        // An alert on a column of the last table, so the alerts list links into a closed section.
        const last = catalog.tables.at(-1)!;
        const withAlert = {
          ...catalog,
          tables: [
            ...catalog.tables.slice(0, -1),
            {
              ...last,
              columns: last.columns.map((c, i) =>
                i === 2 ? { ...c, alerts: [{ kind: 'skewed' as const, detail: 'long tail' }] } : c,
              ),
            },
          ],
        };
        const { page, errors } = await openReport(context, dir, withAlert);
        const section = page.locator('section.table-section').last().locator('details');
        assert.equal(await section.getAttribute('open'), null);
        await page.locator(`#alerts a[href^="#c-"]`).filter({ hasText: last.columns[2]!.name }).click();
        assert.notEqual(await section.getAttribute('open'), null, 'the section opened');
        const column = section.locator('article.column').nth(2);
        assert.ok(await column.isVisible());
        await column.locator('[data-chart] svg').first().waitFor();
        assert.deepEqual(errors, []);
      }),
    );
  },
);
