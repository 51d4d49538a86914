-- A queued action may carry a stop time (epoch ms): a time budget the worker enforces by
-- stopping the run then. It lives in a table of its own because SQLite has no
-- ADD COLUMN IF NOT EXISTS, and every migration must be safe to run twice.
CREATE TABLE IF NOT EXISTS work_queue_stop (
  fingerprint TEXT PRIMARY KEY REFERENCES work_queue (fingerprint) ON DELETE CASCADE,
  stop_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
