CREATE TRIGGER log_no_delete BEFORE DELETE ON log
BEGIN SELECT RAISE(ABORT, 'the ledger log is append-only'); END;

CREATE TRIGGER log_no_update BEFORE UPDATE ON log
BEGIN SELECT RAISE(ABORT, 'the ledger log is append-only'); END;

CREATE TABLE head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  projection_checksum TEXT NOT NULL,
  counts TEXT NOT NULL
);

CREATE TABLE log (
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

CREATE TABLE queue (
  fingerprint TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,                     -- canonical JSON
  inputs TEXT NOT NULL DEFAULT '[]',        -- canonical JSON array of input fingerprints
  state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'leased', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at TEXT,                    -- ISO-8601 UTC, like log.at
  run_after TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((state = 'leased') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);

CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  breaking INTEGER NOT NULL DEFAULT 0,
  applied_at TEXT NOT NULL
);

CREATE TABLE state (
  collection TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  seq INTEGER NOT NULL REFERENCES log (seq),
  PRIMARY KEY (collection, key)
) WITHOUT ROWID;

CREATE INDEX log_fingerprint ON log (fingerprint);

CREATE INDEX log_kind ON log (kind);

CREATE INDEX log_status ON log (status);

CREATE INDEX queue_lease ON queue (state, lease_expires_at);

CREATE INDEX queue_ready ON queue (state, run_after);
