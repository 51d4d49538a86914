INSERT INTO work_queue_deps (fingerprint, depends_on) VALUES (@fingerprint, @depends_on)
ON CONFLICT DO NOTHING
