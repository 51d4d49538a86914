-- Runs in the transaction that appends the action's 'succeeded' or 'reused' entry.
-- $1 fingerprint, $2 owner
UPDATE work_queue
SET state = 'done', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL
WHERE fingerprint = $1 AND state = 'leased' AND lease_owner = $2
