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

CREATE TABLE work_queue (
  fingerprint TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  version TEXT NOT NULL,
  params TEXT NOT NULL,                     -- canonical JSON, self-contained
  inputs TEXT NOT NULL DEFAULT '[]',        -- canonical JSON array of input fingerprints
  metadata_version INTEGER,
  state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'leased', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 5,
  lease_owner TEXT,
  lease_expires_at TEXT,
  run_after TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_error TEXT,
  CHECK ((state = 'leased') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);

CREATE TABLE work_queue_deps (
  fingerprint TEXT NOT NULL REFERENCES work_queue (fingerprint) ON DELETE CASCADE,
  depends_on TEXT NOT NULL,
  PRIMARY KEY (fingerprint, depends_on)
) WITHOUT ROWID;

CREATE TABLE work_queue_stop (
  fingerprint TEXT PRIMARY KEY REFERENCES work_queue (fingerprint) ON DELETE CASCADE,
  stop_at_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE workers (
  id TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  concurrency INTEGER NOT NULL,
  lease_seconds REAL NOT NULL,
  joined_seq INTEGER NOT NULL,
  joined_hash TEXT NOT NULL,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  heartbeat_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  stopped_at TEXT
);

CREATE INDEX log_fingerprint ON log (fingerprint);

CREATE INDEX log_kind ON log (kind);

CREATE INDEX log_status ON log (status);

CREATE INDEX work_queue_deps_up ON work_queue_deps (depends_on);

CREATE INDEX work_queue_lease ON work_queue (state, lease_expires_at);

CREATE INDEX work_queue_ready ON work_queue (state, run_after);
