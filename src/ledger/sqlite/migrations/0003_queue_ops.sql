-- The work queue as the queue operations (../queue/*.sql) use it. 0002's `queue` table was
-- never written by any code and lacked what the operations need (the planned code version
-- and metadata version, so queued params are self-contained; max attempts; the last error),
-- so it is replaced rather than altered: SQLite has no ADD COLUMN IF NOT EXISTS, and every
-- migration must be safe to run again.
DROP INDEX IF EXISTS queue_ready;
DROP INDEX IF EXISTS queue_lease;
DROP TABLE IF EXISTS queue;

-- One row per action fingerprint: execution is at least once, and the content-addressed
-- output makes a duplicate run harmless. Times are ISO-8601 UTC text with milliseconds.
CREATE TABLE IF NOT EXISTS work_queue (
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
CREATE INDEX IF NOT EXISTS work_queue_ready ON work_queue (state, run_after);
CREATE INDEX IF NOT EXISTS work_queue_lease ON work_queue (state, lease_expires_at);

-- An action is ready when every action it depends on is done.
CREATE TABLE IF NOT EXISTS work_queue_deps (
  fingerprint TEXT NOT NULL REFERENCES work_queue (fingerprint) ON DELETE CASCADE,
  depends_on TEXT NOT NULL,
  PRIMARY KEY (fingerprint, depends_on)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS work_queue_deps_up ON work_queue_deps (depends_on);

CREATE TABLE IF NOT EXISTS workers (
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
