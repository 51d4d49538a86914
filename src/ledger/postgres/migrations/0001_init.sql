-- The hash-chained action log, its projection and the O(1) head: the Postgres twin of
-- src/ledger/sqlite/migrations/0001_init.sql. Every statement is idempotent.

-- Append-only. `body` is the canonical JSON of the whole entry and is what `hash` covers; the
-- other columns are copies kept for indexed search, checked by verify. Text, not jsonb: jsonb
-- reorders keys, and the hash is over the exact text.
CREATE TABLE IF NOT EXISTS log (
  seq bigint PRIMARY KEY,
  at text NOT NULL,
  kind text NOT NULL,
  status text NOT NULL,
  fingerprint text,
  worker_id text NOT NULL,
  metadata_version bigint,
  body text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX IF NOT EXISTS log_kind ON log (kind);
CREATE INDEX IF NOT EXISTS log_status ON log (status);
CREATE INDEX IF NOT EXISTS log_fingerprint ON log (fingerprint);

-- Guards against accidents, not attackers (who can drop them); verify catches the rest.
CREATE OR REPLACE FUNCTION log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger log is append-only';
END $$;
DROP TRIGGER IF EXISTS log_no_update ON log;
CREATE TRIGGER log_no_update BEFORE UPDATE ON log FOR EACH ROW EXECUTE FUNCTION log_append_only();
DROP TRIGGER IF EXISTS log_no_delete ON log;
CREATE TRIGGER log_no_delete BEFORE DELETE ON log FOR EACH ROW EXECUTE FUNCTION log_append_only();

-- The projection. Collection and key are bytea (their UTF-8 bytes): they come from data
-- (table and column names) and Postgres text cannot hold U+0000; bytea also orders like
-- SQLite's BINARY collation, so listState orders keys the same on both stores.
CREATE TABLE IF NOT EXISTS state (
  collection bytea NOT NULL,
  key bytea NOT NULL,
  value text NOT NULL,
  seq bigint NOT NULL REFERENCES log (seq),
  PRIMARY KEY (collection, key)
);

-- One row, rewritten by every append in the same transaction; appends lock it first
-- (SELECT … FOR UPDATE), which serialises writers from every machine on the chain head.
CREATE TABLE IF NOT EXISTS head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL,
  projection_checksum text NOT NULL,
  counts text NOT NULL
);
INSERT INTO head (id, seq, hash, projection_checksum, counts)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
        '0000000000000000000000000000000000000000000000000000000000000000', '{}')
ON CONFLICT (id) DO NOTHING;
