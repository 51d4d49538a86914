/** Checks shared by the dialects' SQL fragments, so bad arguments fail the same way everywhere. */
import { FathomError } from '../util/fathom-error.js';

/** A quantile probability as SQL numeric text; rejects anything outside [0, 1]. */
export function quantileLiteral(q: number): string {
  if (!Number.isFinite(q) || q < 0 || q > 1) {
    throw new FathomError('usage', `Quantile must be a number between 0 and 1, got ${q}`);
  }
  return String(q);
}

/** A non-negative integer as SQL text, for LIMIT counts and seeds. */
export function integerLiteral(n: number, what: string): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new FathomError('usage', `${what} must be a non-negative integer, got ${n}`);
  }
  return String(n);
}

/** Anchor a regular expression so that it must match the whole value. */
export function fullMatchPattern(pattern: string): string {
  return `^(?:${pattern})$`;
}

/**
 * The whitespace between words: exactly JavaScript's `\s` (Unicode White_Space plus U+FEFF).
 * Spelled out because `\s` differs per engine: RE2 (DuckDB) matches only ASCII space, \t, \n,
 * \f and \r, and Postgres follows the server's locale (C.UTF-8 leaves out U+00A0 and U+FEFF).
 */
const WHITESPACE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];

/** A regex matching one word (a run of non-whitespace), each code point written by `escape`. */
export function wordPattern(escape: (codePoint: number) => string): string {
  const ranges = WHITESPACE_RANGES.map(([lo, hi]) => (lo === hi ? escape(lo) : `${escape(lo)}-${escape(hi)}`));
  return `[^${ranges.join('')}]+`;
}

/** Four hex digits, as the escape syntaxes of RE2, Postgres and JS all accept. */
export function hex4(codePoint: number): string {
  return codePoint.toString(16).padStart(4, '0');
}
