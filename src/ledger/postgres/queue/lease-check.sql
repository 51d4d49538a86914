-- In the append transaction, after the head lock: hold the row until commit.
SELECT state, lease_owner FROM work_queue WHERE fingerprint = $1 FOR UPDATE
