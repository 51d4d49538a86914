-- Runs in the transaction that appends the action's 'failed' entry. A failure is data:
-- retry after backoff * 2^(attempt-1) (capped at an hour), or fail for good at max attempts,
-- or at once when retrying cannot help (@final: its time budget ran out).
UPDATE work_queue
SET state = CASE WHEN attempts >= max_attempts OR @final = 1 THEN 'failed' ELSE 'ready' END,
    run_after = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('+%.3f seconds', @backoff * min(1 << max(attempts - 1, 0), 3600))),
    last_error = @error, lease_owner = NULL, lease_expires_at = NULL
WHERE fingerprint = @fingerprint AND state = 'leased' AND lease_owner = @owner
RETURNING state
