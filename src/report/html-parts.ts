import type { FactStatus } from '../catalog/catalog.js';
import { escapeHtml } from './escape-html.js';
import { scrubFreeText } from '../explore/mask-pii.js';

/** Free text from the catalog (evidence, details, findings): scrubbed of emails, then escaped. */
export const text = (s: string): string => escapeHtml(scrubFreeText(s));

/** A confidence as a small bar plus a percentage. */
export function confidence(c: number): string {
  const p = Math.round(Math.max(0, Math.min(1, c)) * 100);
  return `<span class="conf" title="confidence ${p}%"><span style="width:${p}%"></span></span> ${p}%`;
}

export function status(s: FactStatus): string {
  return `<span class="badge status-${s}">${s}</span>`;
}

export function evidenceList(evidence: readonly string[] | undefined): string {
  if (!evidence || evidence.length === 0) return '';
  return `<ul class="evidence">${evidence.map((e) => `<li>${text(e)}</li>`).join('')}</ul>`;
}

/** A table with a header row; every cell is already HTML. */
export function grid(header: readonly string[], rows: ReadonlyArray<readonly string[]>, cls = 'grid'): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  return `<table class="${cls}"><thead>${head}</thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export const cols = (columns: readonly string[]): string =>
  columns.map((c) => `<code>${escapeHtml(c)}</code>`).join(', ');
