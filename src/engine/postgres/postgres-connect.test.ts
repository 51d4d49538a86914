import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FathomError } from '../../util/fathom-error.js';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../../testing/postgres-url.js';
import { parsePostgresUrl } from './postgres-connect.js';
import { openPostgresEngine } from './postgres-engine.js';

test('parsePostgresUrl: the explicit password wins and stays out of the target', () => {
  const { target, config, password } = parsePostgresUrl({
    url: 'postgres://ann:inurl@db.example:6543/sales',
    password: 'p@ss word',
  });
  assert.deepEqual(target, { host: 'db.example', port: 6543, database: 'sales', user: 'ann' });
  assert.equal(password, 'p@ss word');
  assert.equal(new URL(String(config.connectionString)).password, encodeURIComponent('p@ss word'));
  assert.ok(!JSON.stringify(target).includes('inurl'));
});

test('parsePostgresUrl: defaults port and database, rejects other schemes without echoing the URL', () => {
  assert.deepEqual(parsePostgresUrl({ url: 'postgres://bob@localhost' }).target, {
    host: 'localhost',
    port: 5432,
    database: 'bob',
    user: 'bob',
  });
  assert.throws(
    () => parsePostgresUrl({ url: 'mysql://u:topsecret@h/db' }),
    (e: unknown) => {
      assert.ok(e instanceof FathomError && e.kind === 'bad_input');
      assert.ok(!e.message.includes('topsecret'));
      return true;
    },
  );
  assert.throws(
    () => parsePostgresUrl({ url: 'not a url :topsecret' }),
    (e: unknown) => e instanceof FathomError && !e.message.includes('topsecret'),
  );
});

test('a refused connection names host, port and database, never the password, and hints', async () => {
  // Port 1 on loopback: nothing listens there, so the refusal is immediate.
  await assert.rejects(
    openPostgresEngine({ url: 'postgres://ann@127.0.0.1:1/sales', password: 'hunter2-secret' }),
    (e: unknown) => {
      assert.ok(e instanceof FathomError);
      assert.equal(e.kind, 'failed');
      assert.match(e.message, /127\.0\.0\.1:1\/sales as ann/);
      assert.ok(!e.message.includes('hunter2-secret') && !JSON.stringify(e.context).includes('hunter2-secret'));
      assert.match(e.hint ?? '', /server is running/);
      return true;
    },
  );
});

const url = postgresTestUrl();

test(
  'a missing database or schema is reported by name',
  { skip: url === undefined ? POSTGRES_SKIP_REASON : false },
  async () => {
    const base = new URL(url ?? '');
    base.pathname = '/no_such_db_fathom';
    await assert.rejects(
      openPostgresEngine({ url: base.toString() }),
      (e: unknown) =>
        e instanceof FathomError && /no_such_db_fathom/.test(e.message) && /Could not connect/.test(e.message),
    );
    await assert.rejects(
      openPostgresEngine({ url: url ?? '', schema: 'no_such_schema_fathom' }),
      (e: unknown) => e instanceof FathomError && e.kind === 'not_found' && /no_such_schema_fathom/.test(e.message),
    );
  },
);
