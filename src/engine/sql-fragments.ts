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
