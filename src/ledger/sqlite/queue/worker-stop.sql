UPDATE workers SET stopped_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), heartbeat_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = @id
