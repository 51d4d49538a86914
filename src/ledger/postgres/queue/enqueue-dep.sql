-- $1 fingerprints, $2 depends_on, one edge per element
INSERT INTO work_queue_deps (fingerprint, depends_on)
SELECT * FROM unnest($1::text[], $2::text[])
ON CONFLICT DO NOTHING
