import { normaliseName, singular } from './column-names.js';

const GENERIC = new Set(['id', 'key', 'code', 'no', 'nr', 'uuid', 'guid', 'pk']);

/**
 * How strongly a child column's name says it refers to `parentTable.parentColumn`, in [0, 1]:
 * `customer_id` -> customers.customer_id or customers.id is 1; `billing_customer_id` 0.8;
 * `buyer` 0. Names are the strongest guard against the classic false positive, small
 * integers that happen to be included in every integer key.
 */
export function referenceNameScore(childColumn: string, parentTable: string, parentColumn: string): number {
  const c = normaliseName(childColumn);
  const k = normaliseName(parentColumn);
  const t = singular(parentTable);
  const tableWord = normaliseName(parentTable.slice(parentTable.lastIndexOf('.') + 1));
  if (GENERIC.has(k)) {
    if (c === k) return 0; // a child's own `id` is its own identifier
    for (const name of [t, tableWord]) {
      if (c === `${name}_${k}` || c === `${name}${k}`) return 1;
      if (c.endsWith(`_${name}_${k}`) || c === name) return 0.8;
    }
    if (c.includes(t) && /(_id|_key|_code|_no)$/.test(c)) return 0.6;
    return 0;
  }
  if (c === k) return 1;
  if (c.endsWith(`_${k}`)) return 0.8;
  if (k === `${t}_id` && c.includes(t)) return 0.6;
  return 0;
}
