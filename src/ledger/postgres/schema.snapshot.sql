-- columns
head id integer NO  NO
head seq bigint NO  NO
head hash text NO  NO
head projection_checksum text NO  NO
head counts text NO  NO
log seq bigint NO  NO
log at text NO  NO
log kind text NO  NO
log status text NO  NO
log fingerprint text YES  NO
log worker_id text NO  NO
log metadata_version bigint YES  NO
log body text NO  NO
log prev_hash text NO  NO
log hash text NO  NO
schema_migrations version integer NO  NO
schema_migrations name text NO  NO
schema_migrations breaking boolean NO false NO
schema_migrations applied_at timestamp with time zone NO  NO
state collection bytea NO  NO
state key bytea NO  NO
state value text NO  NO
state seq bigint NO  NO
work_queue id bigint NO  YES
work_queue fingerprint text NO  NO
work_queue kind text NO  NO
work_queue version text NO  NO
work_queue params text NO  NO
work_queue inputs text NO '[]'::text NO
work_queue metadata_version bigint YES  NO
work_queue state text NO 'ready'::text NO
work_queue attempts integer NO 0 NO
work_queue max_attempts integer NO 5 NO
work_queue lease_owner text YES  NO
work_queue lease_expires_at timestamp with time zone YES  NO
work_queue run_after timestamp with time zone NO clock_timestamp() NO
work_queue last_error text YES  NO
work_queue stop_at_ms bigint YES  NO
work_queue_deps fingerprint text NO  NO
work_queue_deps depends_on text NO  NO
workers id text NO  NO
workers host text NO  NO
workers pid integer NO  NO
workers concurrency integer NO  NO
workers lease_seconds double precision NO  NO
workers joined_seq bigint NO  NO
workers joined_hash text NO  NO
workers started_at timestamp with time zone NO clock_timestamp() NO
workers heartbeat_at timestamp with time zone NO clock_timestamp() NO
workers stopped_at timestamp with time zone YES  NO

-- constraints
SCHEMA.head head_id_check CHECK ((id = 1))
SCHEMA.head head_pkey PRIMARY KEY (id)
SCHEMA.log log_pkey PRIMARY KEY (seq)
SCHEMA.schema_migrations schema_migrations_pkey PRIMARY KEY (version)
SCHEMA.state state_pkey PRIMARY KEY (collection, key)
SCHEMA.state state_seq_fkey FOREIGN KEY (seq) REFERENCES SCHEMA.log(seq)
SCHEMA.work_queue work_queue_check CHECK (((state = 'leased'::text) = ((lease_owner IS NOT NULL) AND (lease_expires_at IS NOT NULL))))
SCHEMA.work_queue work_queue_id_key UNIQUE (id)
SCHEMA.work_queue work_queue_pkey PRIMARY KEY (fingerprint)
SCHEMA.work_queue work_queue_state_check CHECK ((state = ANY (ARRAY['ready'::text, 'leased'::text, 'done'::text, 'failed'::text])))
SCHEMA.work_queue_deps work_queue_deps_fingerprint_fkey FOREIGN KEY (fingerprint) REFERENCES SCHEMA.work_queue(fingerprint) ON DELETE CASCADE
SCHEMA.work_queue_deps work_queue_deps_pkey PRIMARY KEY (fingerprint, depends_on)
SCHEMA.workers workers_pkey PRIMARY KEY (id)

-- indexes
head head_pkey CREATE UNIQUE INDEX head_pkey ON SCHEMA.head USING btree (id)
log log_fingerprint CREATE INDEX log_fingerprint ON SCHEMA.log USING btree (fingerprint)
log log_kind CREATE INDEX log_kind ON SCHEMA.log USING btree (kind)
log log_pkey CREATE UNIQUE INDEX log_pkey ON SCHEMA.log USING btree (seq)
log log_status CREATE INDEX log_status ON SCHEMA.log USING btree (status)
schema_migrations schema_migrations_pkey CREATE UNIQUE INDEX schema_migrations_pkey ON SCHEMA.schema_migrations USING btree (version)
state state_pkey CREATE UNIQUE INDEX state_pkey ON SCHEMA.state USING btree (collection, key)
work_queue work_queue_id_key CREATE UNIQUE INDEX work_queue_id_key ON SCHEMA.work_queue USING btree (id)
work_queue work_queue_lease CREATE INDEX work_queue_lease ON SCHEMA.work_queue USING btree (state, lease_expires_at)
work_queue work_queue_pkey CREATE UNIQUE INDEX work_queue_pkey ON SCHEMA.work_queue USING btree (fingerprint)
work_queue work_queue_ready CREATE INDEX work_queue_ready ON SCHEMA.work_queue USING btree (state, run_after)
work_queue_deps work_queue_deps_pkey CREATE UNIQUE INDEX work_queue_deps_pkey ON SCHEMA.work_queue_deps USING btree (fingerprint, depends_on)
work_queue_deps work_queue_deps_up CREATE INDEX work_queue_deps_up ON SCHEMA.work_queue_deps USING btree (depends_on)
workers workers_pkey CREATE UNIQUE INDEX workers_pkey ON SCHEMA.workers USING btree (id)

-- triggers
log log_no_delete DELETE BEFORE EXECUTE FUNCTION SCHEMA.log_append_only()
log log_no_update UPDATE BEFORE EXECUTE FUNCTION SCHEMA.log_append_only()
