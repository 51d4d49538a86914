INSERT INTO workers (id, host, pid, concurrency, lease_seconds, joined_seq, joined_hash)
VALUES (@id, @host, @pid, @concurrency, @lease_seconds, @joined_seq, @joined_hash)
ON CONFLICT (id) DO UPDATE
SET host = excluded.host, pid = excluded.pid, concurrency = excluded.concurrency, lease_seconds = excluded.lease_seconds,
    joined_seq = excluded.joined_seq, joined_hash = excluded.joined_hash,
    started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), heartbeat_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), stopped_at = NULL
