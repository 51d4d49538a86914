/**
 * Streaming through a server-side cursor: DECLARE inside a transaction, then FETCH n until
 * empty. Memory stays at one batch on both sides; no pg-cursor package needed.
 */
import type pg from 'pg';
import type { Params, Row } from '../engine.js';
import { makeRow } from '../engine-values.js';
import { fromPostgres, toPostgresParams } from './postgres-values.js';

export async function* streamWithCursor(
  client: pg.PoolClient,
  sql: string,
  params: Params | undefined,
  batchSize: number,
): AsyncGenerator<Row[]> {
  let finished = false;
  await client.query('BEGIN');
  try {
    // A trailing semicolon would end the DECLARE early.
    const body = sql.replace(/[\s;]+$/, '');
    await client.query(`DECLARE fathom_stream NO SCROLL CURSOR FOR ${body}`, toPostgresParams(params));
    const fetch = { text: `FETCH FORWARD ${batchSize} FROM fathom_stream`, rowMode: 'array' as const };
    for (;;) {
      const result = await client.query<unknown[]>(fetch);
      if (result.rows.length === 0) break;
      const names = result.fields.map((f) => f.name);
      yield result.rows.map((values) => makeRow(names, values.map(fromPostgres)));
      if (result.rows.length < batchSize) break;
    }
    finished = true;
  } finally {
    // An early exit or an error rolls back, which also closes the cursor.
    await client.query(finished ? 'COMMIT' : 'ROLLBACK');
  }
}
