-- A row already done or failed is asked for anew; one ready or leased is in flight already,
-- except that a ready one takes the newest plan's stop time (it has not started).
-- Arrays of equal length, one element per action.
INSERT INTO work_queue (fingerprint, kind, version, params, inputs, metadata_version, max_attempts, stop_at_ms)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::int[], $8::bigint[])
ON CONFLICT (fingerprint) DO UPDATE
SET state = 'ready',
    attempts = CASE WHEN work_queue.state = 'ready' THEN work_queue.attempts ELSE 0 END,
    last_error = CASE WHEN work_queue.state = 'ready' THEN work_queue.last_error END,
    max_attempts = CASE WHEN work_queue.state = 'ready' THEN work_queue.max_attempts ELSE excluded.max_attempts END,
    run_after = CASE WHEN work_queue.state = 'ready' THEN work_queue.run_after ELSE clock_timestamp() END,
    stop_at_ms = excluded.stop_at_ms
WHERE work_queue.state IN ('ready', 'done', 'failed')
