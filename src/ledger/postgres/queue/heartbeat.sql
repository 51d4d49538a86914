-- $1 fingerprint, $2 owner, $3 lease seconds
UPDATE work_queue SET lease_expires_at = clock_timestamp() + make_interval(secs => $3)
WHERE fingerprint = $1 AND state = 'leased' AND lease_owner = $2
