/**
 * Pattern classes of text values: the shape of a string column at a glance, and evidence for
 * semantic types and PII. A value gets the first class that matches, in this order.
 */
const CLASSES: ReadonlyArray<readonly [string, RegExp]> = [
  ['empty', /^\s*$/],
  ['digits', /^[+-]?\d+$/],
  ['decimal', /^[+-]?(\d+[.,]\d*|[.,]\d+)([eE][+-]?\d+)?$/],
  ['uuid', /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/],
  ['email', /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/],
  ['datetime', /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/],
  ['date', /^(\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{4}\/\d{2}\/\d{2})$/],
  ['url', /^(https?|ftp):\/\/\S+$/i],
  ['ip_address', /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$|^[0-9a-fA-F:]*:[0-9a-fA-F:]+$/],
  ['phone', /^\+?[\d\s().-]{7,20}$/],
  ['code', /^(?=.*\d)(?=.*\p{L})[\p{L}\d_-]+$/u],
  ['alpha', /^\p{L}+$/u],
  ['words', /^[\p{L}\p{M}'’.-]+(\s+[\p{L}\p{M}\d'’.,-]+)+$/u],
];

export const PATTERN_CLASSES: readonly string[] = [...CLASSES.map(([name]) => name), 'other'];

export function patternClass(value: string): string {
  for (const [name, re] of CLASSES) if (re.test(value)) return name;
  return 'other';
}

/** Share of values per pattern class, keeping only classes that occur. */
export function patternShares(values: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) {
    const c = patternClass(v);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const out: Record<string, number> = {};
  const total = values.length || 1;
  for (const [c, n] of [...counts].sort((a, b) => b[1] - a[1])) out[c] = round(n / total);
  return out;
}

/** Luhn checksum: tells card numbers from other long digit strings. */
export function luhnValid(digits: string): boolean {
  const d = digits.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
  }
  return sum % 10 === 0;
}

export const round = (x: number, digits = 4): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
