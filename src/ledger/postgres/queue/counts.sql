SELECT state, count(*)::int AS n FROM work_queue GROUP BY state
