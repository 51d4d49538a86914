-- Leases whose worker stopped heartbeating (it died, or lost the database) go back to the
-- queue with backoff; the expired attempt counts. SKIP LOCKED: a row whose result is being
-- committed right now is left to that commit. $1 backoff seconds
WITH expired AS (
  SELECT fingerprint FROM work_queue
  WHERE state = 'leased' AND lease_expires_at < clock_timestamp()
  FOR UPDATE SKIP LOCKED
)
UPDATE work_queue w
SET state = CASE WHEN w.attempts >= w.max_attempts THEN 'failed' ELSE 'ready' END,
    run_after = clock_timestamp() + make_interval(secs => $1 * least(power(2, greatest(w.attempts - 1, 0)), 3600)),
    last_error = 'the lease of ' || w.lease_owner || ' expired (attempt ' || w.attempts || ' of ' || w.max_attempts || ')',
    lease_owner = NULL, lease_expires_at = NULL
FROM expired WHERE w.fingerprint = expired.fingerprint
RETURNING w.fingerprint, w.state
