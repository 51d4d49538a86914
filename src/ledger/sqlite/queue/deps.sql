SELECT depends_on FROM work_queue_deps WHERE fingerprint = @fingerprint ORDER BY depends_on
