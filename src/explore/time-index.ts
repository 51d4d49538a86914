import type { TimeIndexFact } from '../catalog/catalog.js';
import { birthLikeName, normaliseName, timeLikeName } from './column-names.js';

export interface TimeColumnInput {
  readonly name: string;
  readonly isDatetime: boolean;
  readonly nulls: number;
  readonly distinct: number;
  readonly rows: number;
}

/**
 * The column that says when each row happened: a datetime, mostly present, varied, and named
 * like an event time (`ordered_at`, `created`). Birth dates and update times are poorer choices.
 */
export function inferTimeIndex(columns: readonly TimeColumnInput[]): TimeIndexFact | null {
  let best: TimeIndexFact | null = null;
  for (const c of columns) {
    if (!c.isDatetime || c.rows === 0 || c.nulls === c.rows) continue;
    if (birthLikeName(c.name)) continue;
    const evidence = ['datetime values'];
    let s = 0.45;
    if (timeLikeName(c.name)) {
      s += 0.25;
      evidence.push('name reads like an event time');
    }
    if (/(^|_)(updated|modified|deleted|last)($|_)/.test(normaliseName(c.name))) {
      s -= 0.2;
      evidence.push('name suggests a later update, not the event');
    }
    const present = 1 - c.nulls / c.rows;
    s += 0.15 * present;
    if (present < 1) evidence.push(`${Math.round(present * 100)}% present`);
    if (c.distinct / Math.max(1, c.rows - c.nulls) > 0.2) {
      s += 0.1;
      evidence.push(`${c.distinct} distinct times`);
    }
    const fact = {
      column: c.name,
      confidence: Math.round(Math.min(0.95, s) * 100) / 100,
      status: 'suggested' as const,
      evidence,
    };
    if (!best || fact.confidence > best.confidence) best = fact;
  }
  return best;
}
