import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresLedger } from './postgres-ledger-store.js';
import type { PostgresLocation } from './postgres-tamper.fixture.js';

/** A fresh schema per test on the shared test server, dropped afterwards. */
export async function tempPostgresLedger(testUrl: string) {
  const location: PostgresLocation = { url: testUrl, schema: `fathom_t_${randomBytes(6).toString('hex')}` };
  const store = await openPostgresLedger(location);
  return {
    store,
    location,
    reopen: () => openPostgresLedger(location),
    cleanup: async () => {
      await store.close();
      await dropSchema(location);
    },
  };
}

export async function dropSchema(at: PostgresLocation): Promise<void> {
  const client = new pg.Client({ connectionString: at.url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${at.schema} CASCADE`);
  } finally {
    await client.end();
  }
}
