import { badInput } from '../../util/fathom-error.js';
import { parseInstant } from '../served-model.js';

const DAY_MS = 86_400_000;
const UNITS: Readonly<Record<string, number>> = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/** The default window: a week of traffic. */
export const DEFAULT_SINCE = '7d';

/** `--since`: an ISO date or instant, or a span back from now (`36h`, `7d`, `2w`), as an ISO instant. */
export function parseSince(text: string, now: Date): string {
  const span = /^\s*(\d+)\s*([hdw])\s*$/i.exec(text);
  if (span) return new Date(now.getTime() - Number(span[1]) * UNITS[span[2]!.toLowerCase()]!).toISOString();
  const ms = parseInstant(text);
  if (Number.isNaN(ms))
    throw badInput(
      `--since must be an ISO date or time, or a span like 7d, 36h or 2w, got ${JSON.stringify(text)}`,
      'e.g. --since 7d or --since 2025-06-01',
    );
  if (ms > now.getTime())
    throw badInput(`--since ${text} is in the future`, 'Give a start in the past, e.g. --since 7d.');
  return new Date(ms).toISOString();
}

/** The UTC days from the window's start to now, oldest first (`YYYY-MM-DD`). */
export function daysOf(since: string, now: Date): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${since.slice(0, 10)}T00:00:00Z`); t <= now.getTime(); t += DAY_MS)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * Features that move as time passes whatever the world does: datetimes, and ages measured from
 * the cutoff (TIME_SINCE…, which serving computes at "now" while training saw past cutoffs) or
 * calendar years. Their drift is reported apart and never alone proposes retraining.
 */
export function timeDependent(feature: string, treatment: string): boolean {
  return treatment === 'datetime' || /\bTIME_SINCE(?:_LAST|_FIRST)?\(/.test(feature) || /^YEAR\(/.test(feature);
}
