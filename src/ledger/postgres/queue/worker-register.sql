INSERT INTO workers (id, host, pid, concurrency, joined_seq, joined_hash)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (id) DO UPDATE
SET host = excluded.host, pid = excluded.pid, concurrency = excluded.concurrency,
    joined_seq = excluded.joined_seq, joined_hash = excluded.joined_hash,
    started_at = clock_timestamp(), heartbeat_at = clock_timestamp(), stopped_at = NULL
