SELECT state, lease_owner FROM work_queue WHERE fingerprint = @fingerprint
