-- Runs in the transaction that appends the action's 'failed' entry. A failure is data:
-- retry after backoff * 2^(attempt-1) (capped at an hour), or fail for good at max attempts,
-- or at once when retrying cannot help ($5: its time budget ran out).
-- $1 fingerprint, $2 owner, $3 backoff seconds, $4 error, $5 final
UPDATE work_queue
SET state = CASE WHEN attempts >= max_attempts OR $5 THEN 'failed' ELSE 'ready' END,
    run_after = clock_timestamp() + make_interval(secs => $3 * least(power(2, greatest(attempts - 1, 0)), 3600)),
    last_error = $4, lease_owner = NULL, lease_expires_at = NULL
WHERE fingerprint = $1 AND state = 'leased' AND lease_owner = $2
RETURNING state
