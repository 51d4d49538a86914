DELETE FROM work_queue_stop
WHERE fingerprint = @fingerprint AND (SELECT state FROM work_queue WHERE fingerprint = @fingerprint) <> 'leased'
