-- Lease the oldest ready action whose dependencies are all done. SKIP LOCKED: workers on
-- many machines claim at once without waiting on, or taking, each other's rows.
-- $1 owner, $2 lease seconds
WITH next AS (
  SELECT q.fingerprint FROM work_queue q
  WHERE q.state = 'ready' AND q.run_after <= clock_timestamp()
    AND NOT EXISTS (SELECT 1 FROM work_queue_deps d JOIN work_queue u ON u.fingerprint = d.depends_on
                    WHERE d.fingerprint = q.fingerprint AND u.state <> 'done')
  ORDER BY q.run_after, q.id
  LIMIT 1
  FOR UPDATE OF q SKIP LOCKED
)
UPDATE work_queue w
SET state = 'leased', lease_owner = $1, attempts = w.attempts + 1,
    lease_expires_at = clock_timestamp() + make_interval(secs => $2)
FROM next WHERE w.fingerprint = next.fingerprint
RETURNING w.fingerprint, w.kind, w.version, w.params, w.inputs, w.metadata_version, w.attempts, w.max_attempts, w.stop_at_ms,
          ARRAY(SELECT depends_on FROM work_queue_deps d WHERE d.fingerprint = w.fingerprint ORDER BY depends_on) AS depends_on
