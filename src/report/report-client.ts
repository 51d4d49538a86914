/**
 * The page's own script (plain browser JS, inlined after vega and vega-lite). Charts render
 * when they come near the viewport (IntersectionObserver), so a 5000-chart report opens as
 * fast as a small one; charts inside closed <details> render when opened.
 * window.fathomReport.renderAll() draws everything (printing, tests); renderWithin(element) a part.
 */
export const REPORT_CLIENT = `(() => {
  'use strict';
  const payload = JSON.parse(document.getElementById('fathom-charts').textContent);
  const started = new Map();
  const all = () => Array.from(document.querySelectorAll('[data-chart]'));
  // Vega-Lite compiles each template once; a chart then only swaps in its rows (the compile
  // was a quarter of the ~16 ms a chart costs).
  const compiled = new Map();
  function compiledTemplate(t) {
    if (!compiled.has(t)) {
      const spec = Object.assign({}, payload.templates[t], { data: { name: 'source' }, config: payload.config });
      compiled.set(t, JSON.stringify(vegaLite.compile(spec).spec));
    }
    return JSON.parse(compiled.get(t));
  }
  function rows(v) {
    return v.rows.map((r) => { const o = {}; v.columns.forEach((c, i) => { o[c] = r[i]; }); return o; });
  }
  function spec(el) {
    const c = payload.charts[Number(el.dataset.chart)];
    const vg = compiledTemplate(c.t);
    const source = vg.data.find((d) => d.name === 'source');
    source.values = rows(c.v);
    // Vega replaces the container's aria-label with the spec's description: carry ours over.
    vg.description = el.getAttribute('aria-label') || undefined;
    return vg;
  }
  async function draw(el) {
    el.dataset.state = 'rendering';
    try {
      const view = new vega.View(vega.parse(spec(el)), { renderer: 'svg', container: el, hover: true });
      await view.runAsync();
      el.dataset.state = 'done';
      // A wide diagram centres its rows: show the middle, where the top tables are.
      const box = el.closest('.diagram');
      if (box) box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
    } catch (err) {
      el.dataset.state = 'error';
      el.textContent = 'This chart could not be drawn: ' + (err && err.message ? err.message : String(err));
      console.error(err);
    }
  }
  // A few charts per task: drawing all ~50 charts of an opened table in one go would freeze
  // scrolling for a second, while one chart per task paid a layout of the whole page per
  // chart (44 ms per chart against 13 ms of Vega work, 20-table report).
  const queue = [];
  let pumping = false;
  function pump() {
    if (pumping) return;
    pumping = true;
    const step = () => {
      const until = performance.now() + 12;
      while (queue.length && performance.now() < until) {
        const job = queue.shift();
        draw(job.el).then(job.resolve);
      }
      if (queue.length) setTimeout(step, 0); else pumping = false;
    };
    setTimeout(step, 0);
  }
  function render(el) {
    if (started.has(el)) return started.get(el);
    el.dataset.state = 'queued';
    const done = new Promise((resolve) => queue.push({ el, resolve }));
    started.set(el, done);
    pump();
    return done;
  }
  if ('IntersectionObserver' in window) {
    const observer = new IntersectionObserver((entries) => {
      for (const e of entries) if (e.isIntersecting) { observer.unobserve(e.target); render(e.target); }
    }, { rootMargin: '400px 0px' });
    all().forEach((el) => observer.observe(el));
  } else {
    all().forEach(render);
  }
  for (const button of document.querySelectorAll('[data-details]')) {
    button.addEventListener('click', () => {
      const open = button.getAttribute('data-details') === 'open';
      for (const d of document.querySelectorAll('details.table-details')) d.open = open;
    });
  }
  // A link to a table or column inside a closed section opens the section first. Chromium
  // does this itself for fragment links; this is for browsers that do not.
  function reveal() {
    const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (!target) return;
    for (let d = target.closest('details'); d; d = d.parentElement ? d.parentElement.closest('details') : null) d.open = true;
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  reveal();
  window.addEventListener('beforeprint', () => { all().forEach(render); });
  window.fathomReport = {
    chartCount: payload.charts.length,
    renderAll: () => Promise.all(all().map(render)).then(() => all().length),
    /** Draw the charts inside one element (a table section), resolving to how many. */
    renderWithin: (root) => {
      const els = Array.from(root.querySelectorAll('[data-chart]'));
      return Promise.all(els.map(render)).then(() => els.length);
    },
  };
})();`;
