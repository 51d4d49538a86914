UPDATE workers SET stopped_at = clock_timestamp(), heartbeat_at = clock_timestamp() WHERE id = $1
