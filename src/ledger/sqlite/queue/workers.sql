SELECT id, host, pid, concurrency, lease_seconds, joined_seq, joined_hash, started_at, heartbeat_at, stopped_at,
       (julianday('now') - julianday(heartbeat_at)) * 86400.0 AS heartbeat_age_s
FROM workers
ORDER BY started_at DESC, id
