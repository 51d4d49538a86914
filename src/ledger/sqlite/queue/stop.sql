SELECT stop_at_ms FROM work_queue_stop WHERE fingerprint = @fingerprint
