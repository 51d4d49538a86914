import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelMonitor } from '../deploy/monitor/monitor-model.js';
import { chromiumSkipReason, withChromium } from '../testing/headless-chromium.js';
import { withTempDir } from '../testing/temp-dir.js';
import { buildReport } from './render-report.js';
import { shopCatalog } from '../catalog/shop-catalog.fixture.js';

const HOSTILE = 'MEAN(orders.<img src=x onerror=alert(1)>)';

/** A monitor result as monitorModel returns it: one drifted input, one time-dependent feature. */
function drifted(records: number): ModelMonitor {
  const f = (feature: string, psi: number, timeDependent = false) => ({
    feature,
    treatment: 'numeric',
    psi,
    count: records,
    missing: { training: 0, live: 0.01 },
    timeDependent,
    drifted: psi > 0.25,
  });
  return {
    model: 'customers.churned',
    version: 2,
    stage: 'production',
    since: '2025-07-01T00:00:00.000Z',
    until: '2025-07-03T12:00:00.000Z',
    threshold: 0.25,
    records,
    scored: records,
    versions: { 2: records },
    volume: {
      days: [
        { day: '2025-07-01', rows: records },
        { day: '2025-07-02', rows: 0 },
        { day: '2025-07-03', rows: 0 },
      ],
      today: 0,
      previousMean: records / 2,
      previousByNow: records / 2,
      ratio: 0,
    },
    features: [f('age', 3.8), f('TIME_SINCE(signed_up_at)', 0.9, true), f(HOSTILE, 0.02), f('plan', 0.01)],
    prediction: { psi: 0.31, count: records, drifted: true },
    findings: [{ kind: 'feature-drift', message: 'age drifted: PSI 3.800 > 0.25.' }],
    retrain: {
      proposed: true,
      reasons: ['age PSI 3.800'],
      commands: ['fathom explore', 'fathom features', 'fathom train --target customers.churned'],
    },
  };
}

test('the Monitoring section appears only with served rows, says retrain with the commands, and escapes feature names', () => {
  assert.doesNotMatch(buildReport(shopCatalog()).html, /id="monitoring"/);
  assert.doesNotMatch(
    buildReport(shopCatalog(), { monitoring: [drifted(0)] }).html,
    /id="monitoring"/,
    'a model that served nothing has no drift to show',
  );
  const { html } = buildReport(shopCatalog(), { monitoring: [drifted(1200)] });
  assert.match(html, /<a href="#monitoring">Monitoring<\/a>/);
  assert.match(html, /<h3>customers\.churned@2 <span class="badge">production<\/span><\/h3>/);
  assert.match(
    html,
    /retrain<\/span> Drift above 0\.25 \(age PSI 3\.800\)\. Retrain: <code>fathom explore &amp;&amp; fathom features &amp;&amp; fathom train --target customers\.churned<\/code>/,
  );
  assert.ok(!html.includes('<img src=x'), 'a feature name is text, not markup');
});

const skip = chromiumSkipReason();

test(
  'the PSI chart draws a bar per feature and the threshold rule in the browser',
  { skip, timeout: 120_000 },
  async () => {
    await withTempDir('monitoring-browser', (dir) =>
      withChromium(async (context) => {
        const file = join(dir, 'report.html');
        await writeFile(file, buildReport(shopCatalog(), { monitoring: [drifted(1200)] }).html);
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await page.goto(pathToFileURL(file).href);
        const chart = page.locator('#monitoring .chart-psi-bars');
        await chart.scrollIntoViewIfNeeded();
        await chart.locator('svg').waitFor();
        assert.equal(await chart.locator('g.mark-rect.role-mark path').count(), 4);
        assert.equal(await chart.locator('g.mark-rule.role-mark line').count(), 1);
        assert.deepEqual(errors, []);
      }),
    );
  },
);
