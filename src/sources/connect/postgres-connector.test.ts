import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../../testing/postgres-url.js';
import { openPostgresEngine, type PostgresEngine } from '../../engine/postgres/postgres-engine.js';
import { discoverPostgresTables } from './postgres-connector.js';
import type { SourceConfig, SourceTable } from '../source.js';

const url = postgresTestUrl();
const schema = `fathom_src_${randomBytes(5).toString('hex')}`;
const config: SourceConfig = { name: 'pg', kind: 'postgres', location: url ?? '', options: { schemas: [schema] } };
let admin: PostgresEngine | undefined;

const discover = async () => discoverPostgresTables(config, { cacheDir: '/nonexistent' });
const byName = (tables: SourceTable[], name: string) => {
  const t = tables.find((x) => x.ref.name === name);
  assert.ok(t, `table ${name} in ${tables.map((x) => x.ref.name).join(', ')}`);
  return t;
};

describe('postgres discovery', { ...(url === undefined ? { skip: POSTGRES_SKIP_REASON } : {}) }, () => {
  before(async () => {
    admin = await openPostgresEngine({ url: url ?? '' });
    const s = admin.dialect.quoteIdent(schema);
    await admin.exec(`
      CREATE SCHEMA ${s};
      CREATE TABLE ${s}.customers (id int PRIMARY KEY, email text NOT NULL, joined date);
      INSERT INTO ${s}.customers SELECT g, 'c' || g || '@x.org', DATE '2024-01-01' + g FROM generate_series(1, 50) g;
      CREATE TABLE ${s}."order ""items""" (order_id int, qty numeric(10, 2));
      INSERT INTO ${s}."order ""items""" VALUES (1, 2.5), (2, 1);
      CREATE TABLE ${s}.events (id int, at timestamptz) PARTITION BY RANGE (id);
      CREATE TABLE ${s}.events_a PARTITION OF ${s}.events FOR VALUES FROM (0) TO (100);
      CREATE TABLE ${s}.events_b PARTITION OF ${s}.events FOR VALUES FROM (100) TO (200);
      INSERT INTO ${s}.events SELECT g, now() FROM generate_series(1, 150) g;
      CREATE VIEW ${s}.v AS SELECT 1 AS one;
      SELECT pg_stat_force_next_flush();`);
  });
  after(async () => {
    await admin?.exec(`DROP SCHEMA IF EXISTS ${admin.dialect.quoteIdent(schema)} CASCADE`);
    await admin?.close();
  });

  it('lists user tables with columns and exact row counts, partitions folded into their parent', async () => {
    const tables = await discover();
    assert.deepEqual(tables.map((t) => t.ref.name).sort(), ['customers', 'events', 'order "items"']);
    const customers = byName(tables, 'customers');
    assert.equal(customers.rows, 50);
    assert.equal(customers.name, `${schema}.customers`);
    assert.equal(customers.location, `${schema}.customers`);
    assert.deepEqual(
      customers.columns.map((c) => [c.name, c.logicalType, c.nullable]),
      [
        ['id', 'integer', false],
        ['email', 'string', false],
        ['joined', 'date', true],
      ],
    );
    assert.equal(byName(tables, 'order "items"').rows, 2);
    assert.equal(byName(tables, 'events').rows, 150);
    assert.equal(byName(tables, 'events').details?.relkind, 'partitioned');
    assert.match(customers.fingerprint, /^[0-9a-f]{64}$/);
  });

  it('keeps fingerprints when nothing changed and changes them on insert, update and truncate', async () => {
    const s = admin!.dialect.quoteIdent(schema);
    const fp = async (name: string) => byName(await discover(), name).fingerprint;
    const first = await fp('customers');
    assert.equal(await fp('customers'), first, 'stable without changes');
    await admin!.exec(`INSERT INTO ${s}.customers VALUES (51, 'n@x.org', NULL); SELECT pg_stat_force_next_flush();`);
    const afterInsert = await fp('customers');
    assert.notEqual(afterInsert, first);
    await admin!.exec(
      `UPDATE ${s}.customers SET email = 'changed@x.org' WHERE id = 1; SELECT pg_stat_force_next_flush();`,
    );
    const afterUpdate = await fp('customers');
    assert.notEqual(afterUpdate, afterInsert, 'an update changes no count but moves n_tup_upd');
    const events = await fp('events');
    await admin!.exec(`UPDATE ${s}.events SET at = at WHERE id = 120; SELECT pg_stat_force_next_flush();`);
    assert.notEqual(await fp('events'), events, 'a partition update reaches the parent');
    const items = await fp('order "items"');
    await admin!.exec(`TRUNCATE ${s}."order ""items"""; INSERT INTO ${s}."order ""items""" VALUES (1, 2.5), (2, 1);`);
    assert.notEqual(await fp('order "items"'), items, 'truncate + same rows still counts as a change');
  });

  it('accepts the password from the vault (ignored by this trust-auth server)', async () => {
    const tables = await discoverPostgresTables(
      { ...config },
      { cacheDir: '/nonexistent', secret: 'unused-by-trust-auth' },
    );
    assert.equal(tables.length, 3);
  });
});
