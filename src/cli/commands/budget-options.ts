import { InvalidArgumentError } from 'commander';
import type { Family } from '../../index.js';

/** `90s`, `2m`, `1500ms`, `1h`, or a plain number of seconds → milliseconds. */
export function duration(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) throw new InvalidArgumentError(`--time-budget must be a duration like 60s, 2m or 1500ms, got "${value}"`);
  const ms =
    Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (!(ms >= 100)) throw new InvalidArgumentError(`--time-budget must be at least 100ms, got "${value}"`);
  return ms;
}

export function workUnits(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`--budget-units must be a positive integer (1e8 works), got "${value}"`);
  return n;
}

export function families(value: string): Family[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((f) => f !== 'linear' && f !== 'gbdt');
  if (list.length === 0 || bad.length > 0)
    throw new InvalidArgumentError(`--models takes linear and/or gbdt, comma-separated, got "${value}"`);
  return [...new Set(list)] as Family[];
}

export function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError(`--seed must be an integer >= 0, got "${value}"`);
  return n;
}

export function confidence(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1))
    throw new InvalidArgumentError(`--accept-above must be a number from 0 to 1, got "${value}"`);
  return n;
}
