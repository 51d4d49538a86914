-- A queued action may carry a stop time (epoch ms): a time budget the worker enforces by
-- stopping the run then.
ALTER TABLE work_queue ADD COLUMN IF NOT EXISTS stop_at_ms bigint;
