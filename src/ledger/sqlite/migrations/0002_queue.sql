-- The work queue for leased multi-worker execution. Not used by the single-process runner
-- yet; it exists so the claim/complete/fail/reset-expired operations can be added without
-- a breaking migration. One row per action fingerprint: at-least-once execution, and the
-- content-addressed output makes a duplicate run harmless.
CREATE TABLE IF NOT EXISTS queue (
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
-- Claim order: ready rows whose time has come; and expired leases to reset.
CREATE INDEX IF NOT EXISTS queue_ready ON queue (state, run_after);
CREATE INDEX IF NOT EXISTS queue_lease ON queue (state, lease_expires_at);
