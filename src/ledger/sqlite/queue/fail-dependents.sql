-- Everything downstream of an action that failed for good can never become ready.
WITH RECURSIVE down(fp) AS (
  SELECT fingerprint FROM work_queue_deps WHERE depends_on = @fingerprint
  UNION
  SELECT d.fingerprint FROM work_queue_deps d JOIN down ON d.depends_on = down.fp
)
UPDATE work_queue
SET state = 'failed', last_error = 'dependency ' || substr(@fingerprint, 1, 12) || '… failed'
WHERE fingerprint IN (SELECT fp FROM down) AND state = 'ready'
