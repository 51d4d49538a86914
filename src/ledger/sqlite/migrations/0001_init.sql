-- The hash-chained action log, its projection and the O(1) head.
-- Every statement is idempotent so a half-applied migration can simply run again.

-- Append-only. `body` is the canonical JSON of the whole entry (entry-hash.ts) and is what
-- `hash` covers; the other columns are copies kept for indexed search, checked by verify.
CREATE TABLE IF NOT EXISTS log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  fingerprint TEXT,
  worker_id TEXT NOT NULL,
  metadata_version INTEGER,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_kind ON log (kind);
CREATE INDEX IF NOT EXISTS log_status ON log (status);
CREATE INDEX IF NOT EXISTS log_fingerprint ON log (fingerprint);

-- Guards against accidents, not attackers (who can drop them); verify catches the rest.
CREATE TRIGGER IF NOT EXISTS log_no_update BEFORE UPDATE ON log
BEGIN SELECT RAISE(ABORT, 'the ledger log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS log_no_delete BEFORE DELETE ON log
BEGIN SELECT RAISE(ABORT, 'the ledger log is append-only'); END;

-- The projection: replaying every entry's patches in seq order gives exactly these rows.
-- `value` is canonical JSON; `seq` is the entry that last wrote the row.
CREATE TABLE IF NOT EXISTS state (
  collection TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  seq INTEGER NOT NULL REFERENCES log (seq),
  PRIMARY KEY (collection, key)
) WITHOUT ROWID;

-- One row, rewritten by every append in the same transaction, so status is O(1).
CREATE TABLE IF NOT EXISTS head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  projection_checksum TEXT NOT NULL,
  counts TEXT NOT NULL
);
INSERT OR IGNORE INTO head (id, seq, hash, projection_checksum, counts)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
        '0000000000000000000000000000000000000000000000000000000000000000', '{}');
