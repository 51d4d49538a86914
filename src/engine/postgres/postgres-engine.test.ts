import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../../testing/postgres-url.js';
import { engineConformance } from '../engine-conformance.js';
import { openPostgresEngine, type PostgresEngine } from './postgres-engine.js';

const url = postgresTestUrl();
// A fresh schema per run, with a hostile name, so parallel test files never collide and
// schema quoting is exercised too.
const schema = `fathom test "${randomBytes(6).toString('hex')}"`;
let admin: PostgresEngine | undefined;

if (url !== undefined) {
  before(async () => {
    admin = await openPostgresEngine({ url });
    await admin.exec(`CREATE SCHEMA ${admin.dialect.quoteIdent(schema)}`);
  });
  after(async () => {
    await admin?.exec(`DROP SCHEMA ${admin.dialect.quoteIdent(schema)} CASCADE`);
    await admin?.close();
  });
}

engineConformance('postgres', () => openPostgresEngine({ url: url ?? '', schema }), {
  ...(url === undefined ? { skip: POSTGRES_SKIP_REASON } : {}),
});
