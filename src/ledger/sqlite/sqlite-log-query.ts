import type { Database, Statement } from 'better-sqlite3';
import { badInput } from '../../util/fathom-error.js';
import { parseEntry } from '../entry-hash.js';
import type { LogEntry, LogQuery } from '../ledger-store.js';

const DEFAULT_LIMIT = 1000;

export interface LogRow {
  readonly body: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/** One page of the log. Filters hit the kind/status/fingerprint indexes; seq is the rowid. */
export function queryLog(db: Database, cache: Map<string, Statement>, query: LogQuery = {}): LogEntry[] {
  const where: string[] = [];
  const args: Array<string | number> = [];
  const add = (sql: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    where.push(sql);
    args.push(value);
  };
  add('seq > ?', query.afterSeq);
  add('seq < ?', query.beforeSeq);
  add('kind = ?', query.kind);
  add('status = ?', query.status);
  add('fingerprint = ?', query.fingerprint);
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw badInput(`ledger query limit ${limit} is not a non-negative integer`, 'pass e.g. limit: 100');
  }
  const descending = query.descending ?? (query.beforeSeq !== undefined && query.afterSeq === undefined);
  const sql =
    'SELECT body, prev_hash, hash FROM log' +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY seq ${descending ? 'DESC' : 'ASC'} LIMIT ?`;
  let stmt = cache.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  const rows = stmt.all(...args, limit) as LogRow[];
  return rows.map((r) => parseEntry(r.body, r.prev_hash, r.hash));
}
