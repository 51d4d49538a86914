INSERT INTO workers (id, host, pid, concurrency, lease_seconds, joined_seq, joined_hash)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO UPDATE
SET host = excluded.host, pid = excluded.pid, concurrency = excluded.concurrency, lease_seconds = excluded.lease_seconds,
    joined_seq = excluded.joined_seq, joined_hash = excluded.joined_hash,
    started_at = clock_timestamp(), heartbeat_at = clock_timestamp(), stopped_at = NULL
