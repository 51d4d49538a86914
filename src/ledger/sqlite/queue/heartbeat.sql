UPDATE work_queue
SET lease_expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('+%.3f seconds', @lease))
WHERE fingerprint = @fingerprint AND state = 'leased' AND lease_owner = @owner
