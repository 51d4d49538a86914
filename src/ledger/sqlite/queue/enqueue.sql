-- A row already done or failed is asked for anew; one ready or leased is in flight already.
INSERT INTO work_queue (fingerprint, kind, version, params, inputs, metadata_version, max_attempts)
VALUES (@fingerprint, @kind, @version, @params, @inputs, @metadata_version, @max_attempts)
ON CONFLICT (fingerprint) DO UPDATE
SET state = 'ready', attempts = 0, last_error = NULL, max_attempts = excluded.max_attempts, run_after = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE work_queue.state IN ('done', 'failed')
