-- A worker told to stop hands its lease back: ready at once, the attempt not counted.
UPDATE work_queue
SET state = 'ready', lease_owner = NULL, lease_expires_at = NULL, attempts = max(attempts - 1, 0)
WHERE fingerprint = @fingerprint AND state = 'leased' AND lease_owner = @owner
