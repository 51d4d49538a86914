-- A worker told to stop hands its lease back: ready at once, the attempt not counted.
-- $1 fingerprint, $2 owner
UPDATE work_queue
SET state = 'ready', lease_owner = NULL, lease_expires_at = NULL, attempts = greatest(attempts - 1, 0)
WHERE fingerprint = $1 AND state = 'leased' AND lease_owner = $2
