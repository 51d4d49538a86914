SELECT fingerprint, kind, state, attempts, max_attempts, lease_owner, last_error
FROM work_queue
WHERE state = 'leased'
ORDER BY lease_owner, rowid
