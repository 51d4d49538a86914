import Database from 'better-sqlite3';
import type { LedgerTamper } from '../ledger-conformance.js';

/**
 * Raw-SQL edits for the conformance suite's tamper tests. They go through their own
 * connection with the append-only triggers dropped and foreign keys off, as someone editing
 * the file by hand would.
 */
function edit(path: string, sql: string, ...args: unknown[]): void {
  const db = new Database(path);
  try {
    db.pragma('foreign_keys = OFF');
    db.exec('DROP TRIGGER IF EXISTS log_no_update; DROP TRIGGER IF EXISTS log_no_delete;');
    db.prepare(sql).run(...args);
  } finally {
    db.close();
  }
}

export const sqliteTamper: LedgerTamper<string> = {
  async setBodyField(path, seq, fieldPath, value) {
    edit(
      path,
      'UPDATE log SET body = json_set(body, ?, json(?)) WHERE seq = ?',
      `$.${fieldPath.join('.')}`,
      JSON.stringify(value),
      seq,
    );
  },
  async setHash(path, seq, hash) {
    edit(path, 'UPDATE log SET hash = ? WHERE seq = ?', hash, seq);
  },
  async setKindColumn(path, seq, kind) {
    edit(path, 'UPDATE log SET kind = ? WHERE seq = ?', kind, seq);
  },
  async deleteEntries(path, seqs) {
    for (const seq of seqs) edit(path, 'DELETE FROM log WHERE seq = ?', seq);
  },
  async setBodyText(path, seq, body) {
    edit(path, 'UPDATE log SET body = ? WHERE seq = ?', body, seq);
  },
  async deleteHead(path) {
    edit(path, 'DELETE FROM head');
  },
  async setStateValue(path, collection, key, valueJson) {
    if (valueJson === null) edit(path, 'DELETE FROM state WHERE collection = ? AND key = ?', collection, key);
    else {
      edit(
        path,
        `INSERT INTO state (collection, key, value, seq) VALUES (?, ?, ?, (SELECT max(seq) FROM log))
         ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value`,
        collection,
        key,
        valueJson,
      );
    }
  },
};

/** Raw edit of a ledger file with the append-only triggers dropped, as someone editing it by hand would. */
export function editLedgerFile(file: string, sql: string): void {
  const db = new Database(file);
  try {
    db.exec('DROP TRIGGER IF EXISTS log_no_update; DROP TRIGGER IF EXISTS log_no_delete;');
    db.exec(sql);
  } finally {
    db.close();
  }
}
