import { badInput } from '../util/fathom-error.js';

/** TABLE.COLUMN (the table part may not be empty, nor the column); undefined: no target was named. */
export function parseTarget(value: string | undefined): { table: string; column: string } {
  if (value === undefined) {
    throw badInput(
      'fathom train needs a target: --target TABLE.COLUMN, or one confirmed in review',
      'Name the column to predict, e.g. --target customers.churned, or confirm one: fathom tag customers.churned --target',
    );
  }
  const dot = value.indexOf('.');
  if (dot <= 0 || dot === value.length - 1)
    throw badInput(`--target must be TABLE.COLUMN, got "${value}"`, 'e.g. --target customers.churned');
  return { table: value.slice(0, dot), column: value.slice(dot + 1) };
}
