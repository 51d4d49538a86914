-- Leases whose worker stopped heartbeating (it died, or lost the database) go back to the
-- queue with backoff; the expired attempt counts.
UPDATE work_queue
SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'ready' END,
    run_after = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('+%.3f seconds', @backoff * min(1 << max(attempts - 1, 0), 3600))),
    last_error = 'the lease of ' || lease_owner || ' expired (attempt ' || attempts || ' of ' || max_attempts || ')',
    lease_owner = NULL, lease_expires_at = NULL
WHERE state = 'leased' AND lease_expires_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
RETURNING fingerprint, state
