/**
 * Identifier and literal quoting shared by every dialect. All three engines follow the SQL
 * standard here: identifiers in double quotes, string literals in single quotes, each with
 * the quote character doubled inside.
 */
import { FathomError } from '../util/fathom-error.js';
import type { TableRef } from './engine.js';

/** Quote one identifier. Any name is accepted except an empty one or one holding a NUL byte. */
export function quoteIdent(name: string): string {
  if (name.length === 0) {
    throw new FathomError('bad_input', 'An SQL identifier cannot be empty', {
      hint: 'Give the table or column a non-empty name.',
    });
  }
  rejectNul(name, 'identifier');
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quote a table reference, schema-qualified when the schema is given. */
export function quoteTable(ref: TableRef): string {
  const name = quoteIdent(ref.name);
  return ref.schema === undefined ? name : `${quoteIdent(ref.schema)}.${name}`;
}

/**
 * A string literal. Backslashes are not special: Postgres has had standard_conforming_strings
 * on by default since 9.1, and DuckDB and SQLite never treat them specially.
 */
export function quoteString(value: string): string {
  rejectNul(value, 'string literal');
  return `'${value.replaceAll("'", "''")}'`;
}

function rejectNul(text: string, what: string): void {
  const at = text.indexOf('\u0000');
  if (at >= 0) {
    throw new FathomError(
      'bad_input',
      `An SQL ${what} contains a NUL byte at position ${at}: ${JSON.stringify(text)}`,
      {
        hint: 'No SQL engine can store a NUL byte in a name or text literal; remove it from the source data or rename.',
        context: { text },
      },
    );
  }
}
