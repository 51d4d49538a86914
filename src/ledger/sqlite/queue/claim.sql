-- Lease the oldest ready action whose dependencies are all done. Runs inside an IMMEDIATE
-- transaction, so two processes never pick the same row.
UPDATE work_queue
SET state = 'leased', lease_owner = @owner, attempts = attempts + 1,
    lease_expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('+%.3f seconds', @lease))
WHERE rowid = (
  SELECT q.rowid FROM work_queue q
  WHERE q.state = 'ready' AND q.run_after <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    AND NOT EXISTS (SELECT 1 FROM work_queue_deps d JOIN work_queue u ON u.fingerprint = d.depends_on
                    WHERE d.fingerprint = q.fingerprint AND u.state <> 'done')
  ORDER BY q.run_after, q.rowid
  LIMIT 1)
RETURNING fingerprint, kind, version, params, inputs, metadata_version, attempts, max_attempts
