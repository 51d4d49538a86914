/** The report's stylesheet: readable on screen and in print, no web fonts (no network). */
export const REPORT_STYLE = `
:root { --fg: #1d2430; --muted: #5b6475; --line: #dde2ea; --accent: #3b6ea5; --warn: #b35c00; --bad: #b3261e; --bg2: #f6f8fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); }
header.top { padding: 18px 28px; border-bottom: 1px solid var(--line); background: var(--bg2); }
header.top h1 { margin: 0 0 4px; font-size: 22px; }
header.top .meta { color: var(--muted); font-size: 12px; }
nav.toc { padding: 8px 28px; border-bottom: 1px solid var(--line); font-size: 13px; position: sticky; top: 0; background: white; z-index: 2; }
nav.toc a { margin-right: 14px; color: var(--accent); text-decoration: none; }
nav.toc button { font: inherit; font-size: 12px; margin-left: 6px; }
main { padding: 0 28px 40px; max-width: 1400px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 130px; background: white; }
.card .n { font-size: 22px; font-weight: 600; }
.card .l { color: var(--muted); font-size: 12px; }
ul.findings li { margin: 4px 0; }
table.grid { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; }
table.grid th { color: var(--muted); font-weight: 600; }
.diagram { overflow: auto; border: 1px solid var(--line); border-radius: 8px; padding: 6px; max-height: 80vh; }
/* No content-visibility: auto here: Chromium then never reported lazy charts inside as intersecting. */
section.table-section { margin: 18px 0; border: 1px solid var(--line); border-radius: 10px; }
section.table-section > details > summary { cursor: pointer; padding: 10px 14px; background: var(--bg2); border-radius: 10px; list-style-position: inside; }
section.table-section h3 { display: inline; font-size: 16px; margin: 0 8px 0 0; }
.table-body { padding: 4px 14px 14px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 8px 0; font-size: 13px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.table-charts { display: flex; flex-wrap: wrap; gap: 18px; }
.columns { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; margin-top: 12px; }
article.column { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; min-width: 0; }
article.column h4 { display: inline; margin: 0 6px 0 0; font-size: 14px; word-break: break-all; }
.badge { display: inline-block; border-radius: 10px; padding: 0 7px; font-size: 11px; margin: 1px 3px 1px 0; border: 1px solid var(--line); background: var(--bg2); white-space: nowrap; }
.badge.pii { background: #fdecea; border-color: #f2b8b5; color: var(--bad); font-weight: 600; }
.badge.alert { background: #fff4e5; border-color: #f5cf99; color: var(--warn); }
.badge.key { background: #e8f0fa; border-color: #b7cde8; color: var(--accent); }
.badge.target { background: #e9f6ec; border-color: #a9d8b4; color: #1e6b34; }
.conf { display: inline-block; width: 44px; height: 6px; background: var(--line); border-radius: 3px; vertical-align: middle; overflow: hidden; }
.conf > span { display: block; height: 100%; background: var(--accent); }
ul.evidence { margin: 4px 0; padding-left: 18px; color: var(--muted); font-size: 12px; }
code { font-size: 12px; background: var(--bg2); padding: 0 4px; border-radius: 3px; }
figure.chart-box { margin: 6px 0; }
figure.chart-box figcaption { color: var(--muted); font-size: 12px; }
.chart { min-height: 60px; min-width: 120px; }
.chart:not([data-state="done"]) { background: repeating-linear-gradient(135deg, #fafbfc, #fafbfc 8px, #f3f5f8 8px, #f3f5f8 16px); border-radius: 6px; }
.muted { color: var(--muted); }
table.features td { max-width: 70vw; }
table.features td:last-child { white-space: nowrap; }
details.lineage > summary { cursor: pointer; }
details.dropped-group > summary { cursor: pointer; margin: 4px 0; }
pre.sql { margin: 4px 0; padding: 6px 8px; background: var(--bg2); border-radius: 4px; font-size: 11px; overflow-x: auto; white-space: pre; max-width: 70vw; }
@media print { nav.toc { position: static; } section.table-section { break-inside: avoid-page; } }
`;
