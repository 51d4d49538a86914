SELECT fingerprint, kind, state, attempts, max_attempts, lease_owner, last_error
FROM work_queue
WHERE @all = 1 OR fingerprint IN (SELECT value FROM json_each(@fingerprints))
ORDER BY rowid
