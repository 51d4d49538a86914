-- The work queue for leased multi-worker execution, its dependency edges, and the workers.
-- Times are the server's clock (clock_timestamp()), so machines with skewed clocks agree on
-- when a lease expires. One row per action fingerprint: execution is at least once, and the
-- content-addressed output makes a duplicate run harmless.
CREATE TABLE IF NOT EXISTS work_queue (
  id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  fingerprint text PRIMARY KEY,
  kind text NOT NULL,
  version text NOT NULL,
  params text NOT NULL,                        -- canonical JSON, self-contained
  inputs text NOT NULL DEFAULT '[]',           -- canonical JSON array of input fingerprints
  metadata_version bigint,
  state text NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'leased', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 5,
  lease_owner text,
  lease_expires_at timestamptz,
  run_after timestamptz NOT NULL DEFAULT clock_timestamp(),
  last_error text,
  CHECK ((state = 'leased') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS work_queue_ready ON work_queue (state, run_after);
CREATE INDEX IF NOT EXISTS work_queue_lease ON work_queue (state, lease_expires_at);

-- An action is ready when every action it depends on is done.
CREATE TABLE IF NOT EXISTS work_queue_deps (
  fingerprint text NOT NULL REFERENCES work_queue (fingerprint) ON DELETE CASCADE,
  depends_on text NOT NULL,
  PRIMARY KEY (fingerprint, depends_on)
);
CREATE INDEX IF NOT EXISTS work_queue_deps_up ON work_queue_deps (depends_on);

CREATE TABLE IF NOT EXISTS workers (
  id text PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  concurrency integer NOT NULL,
  lease_seconds double precision NOT NULL,
  joined_seq bigint NOT NULL,
  joined_hash text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  stopped_at timestamptz
);
