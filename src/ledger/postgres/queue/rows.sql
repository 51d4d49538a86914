-- $1 all (boolean), $2 fingerprints
SELECT fingerprint, kind, state, attempts, max_attempts, lease_owner, last_error
FROM work_queue
WHERE $1 OR fingerprint = ANY($2::text[])
ORDER BY id
