-- The newest plan's stop time wins, set or cleared, unless the action is running now.
INSERT INTO work_queue_stop (fingerprint, stop_at_ms)
SELECT @fingerprint, @stop_at_ms WHERE @stop_at_ms IS NOT NULL
ON CONFLICT (fingerprint) DO UPDATE SET stop_at_ms = excluded.stop_at_ms
WHERE (SELECT state FROM work_queue WHERE fingerprint = excluded.fingerprint) <> 'leased'
