UPDATE workers SET heartbeat_at = clock_timestamp() WHERE id = $1
