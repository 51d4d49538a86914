/** The errors every engine raises, so callers can rely on their kind and context. */
import { FathomError, toError } from '../util/fathom-error.js';
import type { EngineName, TableRef } from './engine.js';

const ENGINE_LABEL: Record<EngineName, string> = { duckdb: 'DuckDB', postgres: 'Postgres', sqlite: 'SQLite' };

/** A statement the engine rejected or failed to run. The SQL text goes in `context.sql`. */
export function queryFailed(
  engine: EngineName,
  sql: string,
  thrown: unknown,
  extra: Record<string, unknown> = {},
): FathomError {
  if (thrown instanceof FathomError) return thrown;
  const cause = toError(thrown);
  const firstLine = cause.message.split('\n')[0] ?? cause.message;
  return new FathomError('failed', `${ENGINE_LABEL[engine]} query failed: ${firstLine}`, {
    cause,
    hint: 'Run with --debug to see the SQL text (context.sql); if the data looks fine, please report it.',
    context: { engine, sql, ...extra },
  });
}

export function tableNotFound(engine: EngineName, ref: TableRef): FathomError {
  const shown = ref.schema === undefined ? ref.name : `${ref.schema}.${ref.name}`;
  return new FathomError('not_found', `Table "${shown}" was not found in ${ENGINE_LABEL[engine]}`, {
    hint: 'Check the table name and schema; `listTables()` shows the tables that exist.',
    context: { engine, table: ref },
  });
}

export function engineClosed(engine: EngineName): FathomError {
  return new FathomError('failed', `The ${ENGINE_LABEL[engine]} engine is closed`, {
    hint: 'Open a new engine; close() is final.',
  });
}
