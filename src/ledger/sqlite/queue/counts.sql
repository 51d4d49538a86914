SELECT state, count(*) AS n FROM work_queue GROUP BY state
