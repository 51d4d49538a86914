-- A row already done or failed is asked for anew; one ready or leased is in flight already.
-- Arrays of equal length, one element per action.
INSERT INTO work_queue (fingerprint, kind, version, params, inputs, metadata_version, max_attempts)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::int[])
ON CONFLICT (fingerprint) DO UPDATE
SET state = 'ready', attempts = 0, last_error = NULL, max_attempts = excluded.max_attempts, run_after = clock_timestamp()
WHERE work_queue.state IN ('done', 'failed')
