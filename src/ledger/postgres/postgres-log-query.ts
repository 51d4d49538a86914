import type pg from 'pg';
import { badInput } from '../../util/fathom-error.js';
import { parseEntry } from '../entry-hash.js';
import type { LogEntry, LogQuery } from '../ledger-store.js';

const DEFAULT_LIMIT = 1000;

/** One page of the log; the same paging and filters as the SQLite store (sqlite-log-query.ts). */
export async function queryPostgresLog(pool: pg.Pool, query: LogQuery = {}): Promise<LogEntry[]> {
  const where: string[] = [];
  const args: Array<string | number> = [];
  const add = (column: string, op: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    args.push(value);
    where.push(`${column} ${op} $${args.length}`);
  };
  add('seq', '>', query.afterSeq);
  add('seq', '<', query.beforeSeq);
  add('kind', '=', query.kind);
  add('status', '=', query.status);
  add('fingerprint', '=', query.fingerprint);
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw badInput(`ledger query limit ${limit} is not a non-negative integer`, 'pass e.g. limit: 100');
  }
  const descending = query.descending ?? (query.beforeSeq !== undefined && query.afterSeq === undefined);
  args.push(limit);
  const sql =
    'SELECT body, prev_hash, hash FROM log' +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY seq ${descending ? 'DESC' : 'ASC'} LIMIT $${args.length}`;
  const { rows } = await pool.query<{ body: string; prev_hash: string; hash: string }>(sql, args);
  return rows.map((r) => parseEntry(r.body, r.prev_hash, r.hash));
}
