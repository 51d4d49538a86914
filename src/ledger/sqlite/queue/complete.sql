-- Runs in the transaction that appends the action's 'succeeded' or 'reused' entry.
UPDATE work_queue
SET state = 'done', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL
WHERE fingerprint = @fingerprint AND state = 'leased' AND lease_owner = @owner
